import type { KubeObject, Namespace } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { TugboatError } from '../../model/errors.js';
import type { ResourceClient } from '../../client/types.js';
import type { Informer } from '../../client/informer.js';
import { kinds } from '../../client/kinds.js';
import { preferredKinds } from '../../client/preferred-kinds.js';
import { NAMESPACE_FINALIZER } from '../../model/well-known.js';
import type { Controller, ControllerSetup, ReconcileContext, ReconcileRequest } from '../runtime/types.js';
import { watchEveryKind } from '../runtime/every-kind.js';

/** The kinds whose objects hold a namespace being deleted: every namespaced kind but Events (they go with it). */
function holdsNamespace(type: ResourceType): boolean {
  return type.namespaced && !(type.group === '' && type.kind === 'Event');
}

function finalizersOf(ns: KubeObject): string[] {
  return (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}

/**
 * The namespace controller: empties a namespace being deleted (deletes everything in it, of every
 * namespaced kind discovery lists), waits (by watching every such kind through the shared
 * informers, not polling) until nothing is left, then releases the namespace's `kubernetes`
 * finalizer so it goes away. What is left is read from the API, not the caches, so nothing
 * created just before the deletion is missed.
 */
export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly for = kinds.Namespace;
  private namespaces: Informer<Namespace> | undefined;

  async setup(setup: ControllerSetup): Promise<void> {
    const namespaces = (this.namespaces = await setup.informer(kinds.Namespace));
    // A change in a namespace being deleted looks at it again (changes elsewhere cost a map lookup).
    const poke = (obj: KubeObject): void => {
      const name = obj.metadata.namespace;
      if (name && namespaces.get(undefined, name)?.metadata.deletionTimestamp) setup.enqueue({ name });
    };
    await watchEveryKind(setup, {
      filter: holdsNamespace,
      handler: () => ({ onAdd: poke, onUpdate: (_o, n) => poke(n), onDelete: poke }),
    });
  }

  async reconcile(request: ReconcileRequest, ctx: ReconcileContext): Promise<void> {
    const ns = this.namespaces?.get(undefined, request.name) ?? (await ctx.cache.get(kinds.Namespace, undefined, request.name));
    if (!ns?.metadata.deletionTimestamp || !finalizersOf(ns).includes(NAMESPACE_FINALIZER)) return;
    const types = preferredKinds(await ctx.discover()).filter(holdsNamespace);
    let remaining = 0;
    for (const type of types) {
      if (ctx.signal.aborted) return;
      const client = ctx.client(apiVersionOf(type), type.kind, request.name);
      const items = await listOrNone(client);
      remaining += items.length;
      await Promise.all(items.map((o) => deleteQuietly(client, o)));
    }
    // Something is left (deleted now, or terminating): its changes bring the namespace back here.
    if (remaining > 0) return;
    const events = ctx.client(kinds.Event, request.name);
    for (const e of await listOrNone(events)) await deleteQuietly(events, e);
    await finalize(ctx, request.name);
  }
}

/** The objects of a collection; none when the kind went away meanwhile (its CRD deleted). */
async function listOrNone<T extends KubeObject>(client: ResourceClient<T>): Promise<T[]> {
  try {
    return (await client.list()).items;
  } catch (err) {
    if (TugboatError.is(err, 'NotFound') || TugboatError.is(err, 'BadRequest')) return [];
    throw err;
  }
}

async function deleteQuietly(client: ResourceClient, obj: KubeObject): Promise<void> {
  if (obj.metadata.deletionTimestamp) return;
  try {
    await client.delete(obj.metadata.name ?? '', { propagationPolicy: 'Background' });
  } catch (err) {
    if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
  }
}

/** Removes the `kubernetes` finalizer from the namespace's spec (read-modify-write, retried on conflict). */
async function finalize(ctx: ReconcileContext, name: string): Promise<void> {
  const client = ctx.client(kinds.Namespace);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await client.find(name);
    if (!current) return;
    const finalizers = (current.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
    try {
      await client.update({ ...current, spec: { ...current.spec, finalizers } });
      return;
    } catch (err) {
      if (TugboatError.is(err, 'NotFound')) return;
      if (!TugboatError.is(err, 'Conflict')) throw err;
    }
  }
  throw TugboatError.conflict({ kind: 'namespaces' }, name, 'too many conflicts finalizing the namespace');
}
