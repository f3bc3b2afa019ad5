/**
 * Kubernetes' slowStartBatch: runs `count` calls in batches of 1, 2, 4, ... and stops at the
 * first batch with an error, so a failing create does not flood the API.
 */

/** The outcome of {@link slowStartBatch}. */
export interface SlowStartResult {
  successes: number;
  /** Calls never attempted because an earlier batch failed. */
  skipped: number;
  /** The first error, if any. */
  error?: unknown;
}

/** Runs `fn` `count` times in growing batches, starting at `initialBatch`. */
export async function slowStartBatch(count: number, initialBatch: number, fn: (i: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    remaining -= batch;
    if (failed.length) return { successes, skipped: remaining, error: failed[0].reason };
  }
  return { successes, skipped: 0 };
}
