/**
 * A minimal informer for the scheduler: runs the shared list-watch loop (so `start()` can wait
 * for the initial state), keeps the last version of each object, and reports every change,
 * including objects that vanished across a relist, as DELETED.
 */
import type { KubeObject, WatchEventType } from '../model/types.js';
import type { ResourceClient } from '../client/types.js';
import { listWatch } from '../client/list-watch.js';
import type { Clock } from '../clock/types.js';

/** Called for every change; `old` is the previous version known. */
export type InformerHandler<T extends KubeObject> = (type: Exclude<WatchEventType, 'BOOKMARK'>, obj: T, old: T | undefined) => void;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** How long to wait before relisting after a failure (once the first list was read). */
const RETRY_MS = 1000;

/**
 * Runs list+watch for one client until `signal` aborts. Resolves `synced` after the first list;
 * rejects it if that list fails. Later failures relist after {@link RETRY_MS} of `clock` time.
 */
export function runInformer<T extends KubeObject>(
  client: ResourceClient<T>,
  handle: InformerHandler<T>,
  clock: Clock,
  signal: AbortSignal,
): { synced: Promise<void>; done: Promise<void> } {
  const known = new Map<string, T>();
  let markSynced!: () => void;
  let failSynced!: (e: unknown) => void;
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    failSynced = reject;
  });
  const done = listWatch(
    client,
    {
      onSync: (items) => {
        const seen = new Set<string>();
        for (const item of items) {
          const k = keyOf(item);
          seen.add(k);
          const old = known.get(k);
          known.set(k, item);
          handle(old ? 'MODIFIED' : 'ADDED', item, old);
        }
        for (const [k, old] of known) {
          if (!seen.has(k)) {
            known.delete(k);
            handle('DELETED', old, old);
          }
        }
      },
      onEvent: (ev) => {
        const k = keyOf(ev.object);
        const old = known.get(k);
        if (ev.type === 'DELETED') known.delete(k);
        else known.set(k, ev.object);
        handle(ev.type as Exclude<WatchEventType, 'BOOKMARK'>, ev.object, old);
      },
    },
    {
      signal,
      onSynced: markSynced,
      retry: async ({ synced: listed }) => {
        if (!listed) return false;
        await clock.sleep(RETRY_MS, signal).catch(() => undefined);
        return true;
      },
    },
  ).catch(failSynced);
  return { synced, done };
}
