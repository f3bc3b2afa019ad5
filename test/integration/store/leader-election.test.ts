/**
 * Two Clusters' control planes on one etcd with `leaderElection`: exactly one controller manager
 * (and one scheduler) acts, the Leases in kube-system name it, and when it stops the other takes
 * over (the stopped one releases its Leases, so at once) and reconciles what was made meanwhile.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLLER_MANAGER_LEASE, Cluster, SCHEDULER_LEASE } from '../../../src/cluster/cluster.js';
import { kinds } from '../../../src/client/kinds.js';
import { EtcdStore } from '../../../src/etcd.js';
import { eventually } from '../../../src/testing.js';
import { SHARED_ETCD, etcdForTests, uniquePrefix } from '../../support/etcd.js';

const run = await etcdForTests();
const durations = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 };

describe.runIf(run)('leader election of two control planes on one etcd', { timeout: 120_000 }, () => {
  const prefix = uniquePrefix('leader-election');
  const clusters: Cluster[] = [];
  afterAll(async () => {
    for (const c of clusters) await c.stop();
  });

  async function controlPlane(identity: string, seen: string[]): Promise<Cluster> {
    const cluster = await Cluster.start({
      name: `le-${identity}`,
      store: new EtcdStore({ endpoints: [SHARED_ETCD], prefix }),
      nodePortAddress: false,
      leaderElection: { identity, ...durations },
    });
    clusters.push(cluster);
    await cluster.controllers.register({
      name: 'recorder',
      for: kinds.ConfigMap,
      reconcile: async (req) => {
        if (req.namespace === 'default') seen.push(req.name);
      },
    });
    return cluster;
  }

  it('exactly one controller manager and one scheduler act; the other takes over when the leader stops', async () => {
    const seenOne: string[] = [];
    const seenTwo: string[] = [];
    const one = await controlPlane('one', seenOne);
    const two = await controlPlane('two', seenTwo);
    const leases = one.context.client(kinds.Lease, 'kube-system');

    const leader = await eventually(async () => [one, two].find((c) => c.isLeading('controller-manager')), 'a controller manager leads', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const follower = leader === one ? two : one;
    const [leaderSeen, followerSeen] = leader === one ? [seenOne, seenTwo] : [seenTwo, seenOne];
    const held = await leases.get(CONTROLLER_MANAGER_LEASE);
    expect(held.spec?.holderIdentity).toBe(leader === one ? 'one' : 'two');
    expect(held.spec?.leaseDurationSeconds).toBe(3);
    const scheduling = await eventually(
      async () => (await leases.get(SCHEDULER_LEASE)).spec?.holderIdentity || undefined,
      'a scheduler leads',
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect([one, two].filter((c) => c.isLeading('scheduler'))).toHaveLength(1);

    await follower.client(kinds.ConfigMap, 'default').create({ metadata: { name: 'first' }, data: {} });
    await eventually(async () => leaderSeen.includes('first') || undefined, 'the leader reconciles first', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    expect(followerSeen).toEqual([]);
    expect(follower.isLeading('controller-manager')).toBe(false);

    // The leader stops: it releases its Leases and the follower takes over.
    const transitions = held.spec?.leaseTransitions ?? 0;
    await leader.stop();
    await eventually(async () => follower.isLeading('controller-manager') || undefined, 'the follower takes over', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const taken = await follower.context.client(kinds.Lease, 'kube-system').get(CONTROLLER_MANAGER_LEASE);
    expect(taken.spec?.holderIdentity).toBe(follower === one ? 'one' : 'two');
    expect(taken.spec?.leaseTransitions).toBe(transitions + 1);
    await follower.client(kinds.ConfigMap, 'default').create({ metadata: { name: 'second' }, data: {} });
    await eventually(
      async () => (followerSeen.includes('second') && followerSeen.includes('first')) || undefined,
      'the new leader reconciles',
      {
        timeoutMs: 30_000,
        intervalMs: 50,
      },
    );
    expect(leaderSeen).not.toContain('second');
    if (scheduling !== (follower === one ? 'one' : 'two')) {
      await eventually(async () => follower.isLeading('scheduler') || undefined, 'the follower schedules', {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
    }
  });
});
