/**
 * A minimal list-then-watch loop for the scheduler: lists once (so `start()` can wait for the
 * initial state), watches from the list's resourceVersion, and relists when the watch ends or
 * its version expired, reporting vanished objects as DELETED.
 */
import type { KubeObject, WatchEventType } from '../model/types.js';
import type { ResourceClient } from '../api/types.js';
import type { Clock } from '../clock/types.js';

/** Called for every change; `old` is the previous version known. */
export type InformerHandler<T extends KubeObject> = (type: Exclude<WatchEventType, 'BOOKMARK'>, obj: T, old: T | undefined) => void;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Runs list+watch for one client until `signal` aborts. Resolves `synced` after the first list. */
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
  let first = true;
  const done = (async () => {
    while (!signal.aborted) {
      try {
        const list = await client.list();
        const seen = new Set<string>();
        for (const item of list.items) {
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
        if (first) {
          first = false;
          markSynced();
        }
        for await (const ev of client.watch({ resourceVersion: list.resourceVersion, signal })) {
          if (ev.type === 'BOOKMARK') continue;
          const k = keyOf(ev.object);
          const old = known.get(k);
          if (ev.type === 'DELETED') known.delete(k);
          else known.set(k, ev.object);
          handle(ev.type, ev.object, old);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (first) {
          first = false;
          failSynced(err);
          return;
        }
      }
      if (!signal.aborted) await clock.sleep(1000, signal).catch(() => undefined);
    }
  })();
  return { synced, done };
}
