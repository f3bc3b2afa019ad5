import type { Cluster } from '../../src/cluster/cluster.js';
import type { FakeClock } from '../../src/clock/fake-clock.js';

/**
 * Stops a FakeClock cluster whose shutdown waits on cluster time (drains, grace periods): advances
 * the clock a second at a time, at most 600 times, until the stop resolves.
 */
export async function stopOnFakeClock(cluster: Cluster, clock: FakeClock): Promise<void> {
  let done = false;
  const stopping = cluster.stop().finally(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    await new Promise<void>((r) => setImmediate(r));
    if (!done) await clock.advance(1000);
  }
  await stopping;
}
