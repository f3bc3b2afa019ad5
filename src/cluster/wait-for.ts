import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { ResourceClient } from '../client/types.js';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /**
   * Give up after this many milliseconds of wall time (not the cluster's clock, so a test on a
   * FakeClock still ends). @default 30_000
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves with the object once `predicate` holds for it, by watching (no polling). A missing
 * object counts as `undefined` for the predicate. Fails Timeout (504) after `timeoutMs`.
 */
export async function waitFor<T extends KubeObject>(
  client: ResourceClient<T>,
  name: string,
  predicate: (obj: T | undefined) => boolean,
  options: WaitForOptions = {},
): Promise<T | undefined> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  try {
    for (;;) {
      const list = await client.list({ fieldSelector: `metadata.name=${name}` });
      let current = list.items[0];
      if (predicate(current)) return current;
      try {
        for await (const ev of client.watch({
          resourceVersion: list.resourceVersion,
          fieldSelector: `metadata.name=${name}`,
          signal: abort.signal,
        })) {
          if (ev.type === 'BOOKMARK') continue;
          current = ev.type === 'DELETED' ? (undefined as unknown as T) : ev.object;
          if (predicate(current)) return current;
        }
      } catch (err) {
        if (!TugboatError.is(err, 'Expired')) throw err;
        continue;
      }
      if (timedOut) {
        throw new TugboatError('Timeout', `timed out after ${timeoutMs}ms waiting for ${client.type.kind} "${name}"`);
      }
      if (options.signal?.aborted) throw options.signal.reason;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
