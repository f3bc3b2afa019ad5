/**
 * LeaderElector over the Kubernetes HTTP API (HttpApiContext to `cluster.serve()`), as a
 * controller manager in another process elects: one of two leads, a stale write is a Conflict
 * through HTTP too, and stopping the leader hands the Lease over.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { kinds } from '../../../src/client/kinds.js';
import { LeaderElector } from '../../../src/client/leader-election/leader-elector.js';
import { eventually } from '../../../src/testing.js';
import { expectStaleLeaseWriteConflicts } from '../../support/lease-lock-case.js';

describe('LeaderElector over HTTP', { timeout: 60_000 }, () => {
  let cluster: Cluster | undefined;
  const stops: AbortController[] = [];
  afterAll(async () => {
    for (const s of stops) s.abort();
    await cluster?.stop();
  });

  it('one of two HTTP candidates leads; a stale write is Conflict; stopping the leader hands over', async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false, nodePortAddress: false });
    const api = await cluster.serve();
    const leading = new Set<string>();
    const candidates = await Promise.all(
      ['a', 'b'].map(async (identity) => {
        const ctx = await HttpApiContext.connect(api.kubeconfig);
        const stop = new AbortController();
        stops.push(stop);
        const elector = new LeaderElector(ctx, {
          name: 'http-lease',
          identity,
          leaseDurationMs: 3000,
          renewDeadlineMs: 2000,
          retryPeriodMs: 300,
          callbacks: {
            onStartedLeading: (signal) => {
              leading.add(identity);
              signal.addEventListener('abort', () => leading.delete(identity));
            },
          },
        });
        return { identity, ctx, stop, done: elector.run(stop.signal) };
      }),
    );
    const leases = cluster.context.client(kinds.Lease, 'kube-system');
    const held = await eventually(async () => (await leases.find('http-lease'))?.spec?.holderIdentity || undefined, 'a candidate leads', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    expect([...leading]).toEqual([held]);

    await expectStaleLeaseWriteConflicts(candidates[0].ctx, candidates[1].ctx, 'other-lease');

    const leader = candidates.find((c) => c.identity === held)!;
    const other = candidates.find((c) => c.identity !== held)!;
    leader.stop.abort();
    await leader.done;
    await eventually(async () => leading.has(other.identity) || undefined, 'the other takes over', { timeoutMs: 30_000, intervalMs: 50 });
    const taken = await leases.get('http-lease');
    expect(taken.spec?.holderIdentity).toBe(other.identity);
    expect(taken.spec?.leaseTransitions).toBe(1);
    expect([...leading]).toEqual([other.identity]);
  });
});
