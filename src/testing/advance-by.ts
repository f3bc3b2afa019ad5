/**
 * Moving a FakeClock cluster's time by a fixed amount, settling after each step: the fixed-time
 * twin of `cluster.advanceUntil`, with a hook for invariant checks at every step.
 */
import type { Cluster } from '../cluster/cluster.js';

/** Options of {@link advanceBy}. */
export interface AdvanceByOptions {
  /** How far the clock moves per step. @default 1000 */
  stepMs?: number;
  /** Called after each step, once the cluster settled (e.g. to check an invariant). A throw fails the advance. */
  onStep?: () => Promise<void> | void;
}

/**
 * Advances the FakeClock of `cluster` by `ms`, `stepMs` at a time, letting the cluster settle
 * after each step and calling `onStep` then. Fails BadRequest when the clock is not a FakeClock.
 */
export async function advanceBy(cluster: Cluster, ms: number, options: AdvanceByOptions = {}): Promise<void> {
  const start = cluster.clock.nowMs();
  const end = start + ms;
  let failure: { error: unknown } | undefined;
  await cluster.advanceUntil(
    async () => {
      if (cluster.clock.nowMs() > start) {
        try {
          await options.onStep?.();
        } catch (error) {
          failure = { error };
          return true;
        }
      }
      return cluster.clock.nowMs() >= end;
    },
    { stepMs: options.stepMs, maxMs: ms },
  );
  if (failure) throw failure.error;
}
