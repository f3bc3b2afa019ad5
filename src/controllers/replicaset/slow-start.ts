/**
 * Kubernetes' slowStartBatch: runs `count` calls in batches of 1, 2, 4, ... and stops at the
 * first batch with an error, so a failing create does not flood the API.
 *
 * In-process writes and their watch deliveries resolve in microtasks, so a burst of creates
 * (a Deployment of thousands of replicas) would otherwise hold the event loop until it ends,
 * starving the scheduler, the node agents, timers and I/O for seconds. Each call therefore
 * first yields to the event loop (setImmediate) once the current turn has run longer than a
 * budget ({@link TurnBudget}); the calls, their order and their batches are unchanged.
 */

/** The outcome of {@link slowStartBatch}. */
export interface SlowStartResult {
  successes: number;
  /** Calls never attempted because an earlier batch failed. */
  skipped: number;
  /** The first error, if any. */
  error?: unknown;
}

/** How long a run of microtasks may hold the event loop before a call yields, in milliseconds. */
export const TURN_BUDGET_MS = 10;

/**
 * Tracks how long the event loop has been held since the last yield, and yields (setImmediate)
 * once that exceeds `budgetMs`. `now` is a monotonic millisecond clock (injectable for tests).
 */
export class TurnBudget {
  private since: number;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly budgetMs = TURN_BUDGET_MS,
  ) {
    this.since = now();
  }

  /** Resolves at once while within budget; otherwise after the event loop has had a turn (shared by every waiter). */
  pause(): Promise<void> | undefined {
    if (this.pending) return this.pending;
    if (this.now() - this.since < this.budgetMs) return undefined;
    this.pending = new Promise<void>((resolve) =>
      setImmediate(() => {
        this.pending = undefined;
        this.since = this.now();
        resolve();
      }),
    );
    return this.pending;
  }
}

/** The budget shared by every controller of the process (they share one event loop). */
const shared = new TurnBudget();

/** Runs `fn` `count` times in growing batches, starting at `initialBatch`; see the module note on yielding. */
export async function slowStartBatch(
  count: number,
  initialBatch: number,
  fn: (i: number) => Promise<void>,
  budget: TurnBudget = shared,
): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  const call = async (i: number): Promise<void> => {
    const wait = budget.pause();
    if (wait) await wait;
    return fn(i);
  };
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => call(index++)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    remaining -= batch;
    if (failed.length) return { successes, skipped: remaining, error: failed[0].reason };
  }
  return { successes, skipped: 0 };
}
