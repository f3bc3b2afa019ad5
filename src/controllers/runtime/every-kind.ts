/**
 * For controllers that act on every kind (the garbage collector, the namespace controller):
 * handlers on the shared informer of every kind discovery lists (once per resource, at its
 * preferred version), kept current by watching
 * CustomResourceDefinitions, so a CRD's kind is watched once it is served and dropped once it
 * is not. Everything goes through the API (discovery and watches), nothing through a registry.
 */
import type { KubeObject } from '../../model/types.js';
import { apiVersionOf, type ResourceType } from '../../model/resource-type.js';
import type { InformerHandler } from '../../client/informer.js';
import { kinds } from '../../client/kinds.js';
import { preferredKinds } from '../../client/preferred-kinds.js';
import type { ControllerSetup, ReconcileRequest } from './types.js';

/** Options of {@link watchEveryKind}. */
export interface EveryKindOptions {
  /** Which kinds to watch. @default every kind */
  filter?: (type: ResourceType) => boolean;
  /** The handlers of one kind's informer. */
  handler: (type: ResourceType) => InformerHandler<KubeObject>;
  /** A kind is no longer served (its CRD was deleted); its handlers are removed already. */
  onRemoved?: (type: ResourceType) => void;
}

/** Turns of the event loop after a CRD change to look again, for a registrar that serves the kind a little later. */
const SETTLE_TURNS = 3;

function keyOf(type: ResourceType): string {
  return `${apiVersionOf(type)}/${type.kind}`;
}

/**
 * Adds `options.handler(type)` to the informer of every kind served now (resolving once they
 * are synced) and of every kind served later; removes them when the kind goes.
 */
export async function watchEveryKind<TReq extends ReconcileRequest>(
  setup: ControllerSetup<TReq>,
  options: EveryKindOptions,
): Promise<void> {
  const watched = new Map<string, { type: ResourceType; remove: () => void }>();
  const filter = options.filter ?? (() => true);
  let chain: Promise<void> = Promise.resolve();

  const sync = async (): Promise<void> => {
    if (setup.ctx.signal.aborted) return;
    const served = new Map(
      preferredKinds(await setup.ctx.discover())
        .filter(filter)
        .map((t) => [keyOf(t), t]),
    );
    for (const [key, w] of watched) {
      if (served.has(key)) continue;
      watched.delete(key);
      w.remove();
      options.onRemoved?.(w.type);
    }
    const added = [...served].filter(([key]) => !watched.has(key));
    await Promise.all(
      added.map(async ([key, type]) => {
        const entry = { type, remove: () => undefined as void };
        watched.set(key, entry);
        try {
          entry.remove = await setup.watch({ apiVersion: apiVersionOf(type), kind: type.kind }, options.handler(type));
        } catch (err) {
          // The kind went away between discovery and its first list: the next CRD change looks again.
          if (watched.get(key) === entry) watched.delete(key);
          setup.ctx.log.warn({ kind: key, err: String(err) }, 'could not watch kind');
        }
      }),
    );
  };
  const resync = (): void => {
    chain = chain
      .then(sync)
      .then(async () => {
        for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((r) => setImmediate(r));
      })
      .then(sync)
      .catch((err: unknown) => setup.ctx.log.error({ err: String(err) }, 'kind discovery failed'));
  };
  await setup.watch(kinds.CustomResourceDefinition, { onAdd: resync, onUpdate: resync, onDelete: resync });
  chain = chain.then(sync);
  await chain;
}
