/**
 * The list-watch loop of a reflector (client-go's tools/cache): list a collection, watch it from
 * the list's resourceVersion, resume the watch from the last version seen when it ends, relist
 * when that version expired, and let the caller decide what any other failure does. Informers,
 * the scheduler's cache, the node agents' pod dispatcher and the garbage collector all run it;
 * each keeps its own cache and dispatch in the handler.
 */
import type { KubeObject, WatchEvent } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { ResourceClient } from './types.js';
import { isBufferedIterator } from '../model/async-queue.js';

/** Receives what a list-watch sees: the full state on every (re)list, then each change in order. */
export interface ListWatchHandler<T extends KubeObject = KubeObject> {
  /**
   * The full current state: the first list, and every relist after an expired watch or a
   * retried failure. Objects the handler knew that are not in `objects` are gone.
   */
  onSync(objects: T[], resourceVersion: string): void | Promise<void>;
  /** One change (ADDED, MODIFIED or DELETED; bookmarks only move the resume version). */
  onEvent(event: WatchEvent<T>): void | Promise<void>;
}

/** A failure handed to {@link ListWatchOptions.retry}. */
export interface ListWatchFailure {
  /** What was thrown: by list, by watch, or by a handler. */
  readonly error: unknown;
  /** Failures in a row, counting this one (reset by a successful list or an event). */
  readonly failures: number;
  /** True once the first list has reached the handler. */
  readonly synced: boolean;
}

/** Options of {@link listWatch}. */
export interface ListWatchOptions {
  /** Ends the loop; `listWatch` then resolves. */
  signal: AbortSignal;
  /** Called once, after the first list has been handed to `onSync`. */
  onSynced?: () => void;
  /**
   * Decides what a failure other than an expired watch does (a failed list or watch, a handler
   * that threw): resolve true to relist, after whatever wait it wants, or false to stop, which
   * rejects `listWatch` with the error. Without it every failure stops the loop.
   */
  retry?: (failure: ListWatchFailure, signal: AbortSignal) => boolean | Promise<boolean>;
}

/** The most buffered events handled in one turn before the loop yields to other work. */
const DRAIN_BATCH = 1024;

/** True for the 410 errors that mean "the version you resume from is gone: relist". */
export function isExpired(err: unknown): boolean {
  return TugboatError.is(err, 'Expired') || TugboatError.is(err, 'Gone');
}

/**
 * Runs a list-watch of `client` until `options.signal` aborts (then resolves) or `retry`
 * declines a failure (then rejects with it). Handlers are awaited one at a time, so they see
 * the collection's changes in order.
 */
export async function listWatch<T extends KubeObject>(
  client: ResourceClient<T>,
  handler: ListWatchHandler<T>,
  options: ListWatchOptions,
): Promise<void> {
  const { signal } = options;
  let resourceVersion: string | undefined;
  let synced = false;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        const list = await client.list();
        if (signal.aborted) return;
        await handler.onSync(list.items, list.resourceVersion);
        resourceVersion = list.resourceVersion;
        failures = 0;
        if (!synced) {
          synced = true;
          options.onSynced?.();
        }
      }
      const events = client.watch({ resourceVersion, signal })[Symbol.asyncIterator]();
      const buffered = isBufferedIterator(events) ? events : undefined;
      // One event, then (when the watch offers it) what it buffered meanwhile, handled in the same
      // turn: a burst of writes is drained at the pace it was written, not one promise turn per event.
      const handle = (event: WatchEvent<T>): void | Promise<void> => {
        resourceVersion = event.object?.metadata?.resourceVersion || resourceVersion;
        if (event.type === 'BOOKMARK') return;
        failures = 0;
        return handler.onEvent(event);
      };
      let open = true;
      try {
        for (;;) {
          let next: IteratorResult<WatchEvent<T>>;
          try {
            next = await events.next();
          } catch (err) {
            open = false; // a failed watch has ended itself
            throw err;
          }
          if (next.done) {
            open = false;
            break;
          }
          if (signal.aborted) return;
          const pending = handle(next.value);
          if (pending) await pending;
          if (!buffered) continue;
          for (const event of buffered.takeBuffered(DRAIN_BATCH)) {
            if (signal.aborted) return;
            const later = handle(event);
            if (later) await later;
          }
        }
      } finally {
        if (open) await events.return?.();
      }
      // The watch ended without an error: resume it from the last version seen.
    } catch (error) {
      if (signal.aborted) return;
      resourceVersion = undefined;
      if (isExpired(error)) continue;
      failures++;
      const again = options.retry ? await options.retry({ error, failures, synced }, signal) : false;
      if (!again) {
        if (signal.aborted) return;
        throw error;
      }
    }
  }
}
