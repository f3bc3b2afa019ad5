/**
 * The one wall-clock wait of the kit, for what no FakeClock drives: real runtimes (processes,
 * Docker) and real I/O. On a FakeClock cluster use `cluster.advanceUntil` instead.
 */
import { TugboatError } from '../model/errors.js';

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this much wall time. @default 30_000 */
  timeoutMs?: number;
  /** Wall time between tries. @default 50 */
  intervalMs?: number;
}

/**
 * Calls `fn` until it returns a value other than `undefined` or `false` (resolved with it);
 * an exception counts as not yet. Fails Timeout after `timeoutMs`, naming `what` and the last
 * exception.
 */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new TugboatError('Timeout', `timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
