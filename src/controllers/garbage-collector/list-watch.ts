import type { KubeObject, WatchEvent } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import type { ResourceClient } from '../../api/types.js';

/** Receives the objects of a list-watch: the initial state once, then every change. */
export interface ListWatchHandler {
  /** The full current state (the initial list, and each relist after an Expired watch). */
  onSync(objects: KubeObject[]): void | Promise<void>;
  onEvent(event: WatchEvent): void | Promise<void>;
}

/**
 * Lists a collection, then watches it from the list's resourceVersion, relisting whenever the
 * watch expires (410), until the signal aborts. The loop a reflector runs in client-go.
 */
export async function listWatch(client: ResourceClient, handler: ListWatchHandler, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const list = await client.list();
    await handler.onSync(list.items);
    try {
      for await (const event of client.watch({ resourceVersion: list.resourceVersion, signal })) {
        if (event.type !== 'BOOKMARK') await handler.onEvent(event);
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!TugboatError.is(err, 'Expired')) throw err;
    }
  }
}
