import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { kinds } from '../../../../src/client/kinds.js';
import { LeaderElector } from '../../../../src/client/leader-election/leader-elector.js';
import type { LeaderElectorOptions } from '../../../../src/client/leader-election/types.js';
import { TugboatError } from '../../../../src/model/errors.js';
import type { Lease } from '../../../../src/model/types.js';
import { expectStaleLeaseWriteConflicts, LEASE_RECORD } from '../../../support/lease-lock-case.js';

let cluster: Cluster | undefined;
const runs: AbortController[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) r.abort();
  await cluster?.stop();
  cluster = undefined;
});

interface Candidate {
  elector: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  leading: boolean;
  started: number;
  stopped: number;
  newLeaders: string[];
}

async function start(): Promise<{ clock: FakeClock; cluster: Cluster }> {
  const clock = new FakeClock();
  cluster = await Cluster.start({ clock, scheduler: false, controllers: false });
  return { clock, cluster };
}

function candidate(c: Cluster, identity: string, options: Partial<LeaderElectorOptions> = {}): Candidate {
  const stop = new AbortController();
  runs.push(stop);
  const me = { stop, leading: false, started: 0, stopped: 0, newLeaders: [] as string[] } as unknown as Candidate;
  me.elector = new LeaderElector(c.context, {
    name: 'test-lease',
    identity,
    jitterFactor: 0,
    ...options,
    callbacks: {
      onStartedLeading: (signal) => {
        me.leading = true;
        me.started++;
        signal.addEventListener('abort', () => {
          me.leading = false;
        });
      },
      onStoppedLeading: () => {
        me.stopped++;
      },
      onNewLeader: (id) => me.newLeaders.push(id),
    },
  });
  me.done = me.elector.run(stop.signal);
  return me;
}

const lease = (c: Cluster) => c.context.client(kinds.Lease, 'kube-system').get('test-lease');

describe('LeaderElector', () => {
  it('two candidates on one store: exactly one leads, the Lease names it as Kubernetes keeps it', async () => {
    const { clock, cluster } = await start();
    const a = candidate(cluster, 'a');
    const b = candidate(cluster, 'b');
    for (let i = 0; i < 30; i++) {
      await clock.advance(1000);
      expect([a.leading, b.leading].filter(Boolean)).toHaveLength(1);
    }
    const leader = a.leading ? a : b;
    const other = leader === a ? b : a;
    const l = await lease(cluster);
    expect(l.spec?.holderIdentity).toBe(leader.elector.identity);
    expect(l.spec?.leaseDurationSeconds).toBe(15);
    expect(l.spec?.leaseTransitions).toBe(0);
    expect(l.spec?.acquireTime).toBe('2026-01-01T00:00:00.000000Z');
    // Renewed every retryPeriod (2 s): the last renewal is at most 2 s old.
    expect(clock.nowMs() - Date.parse(l.spec?.renewTime ?? '')).toBeLessThanOrEqual(2000);
    expect(leader.started).toBe(1);
    expect(other.started).toBe(0);
    expect(other.newLeaders).toEqual([leader.elector.identity]);
    expect(other.elector.leader()).toBe(leader.elector.identity);
  });

  it('a leader that stops renewing is replaced only after leaseDuration since the others saw the Lease change; leaseTransitions counts it', async () => {
    const { clock, cluster } = await start();
    const a = candidate(cluster, 'a', { releaseOnCancel: false });
    await clock.advance(0);
    expect(a.leading).toBe(true);
    const b = candidate(cluster, 'b');
    await clock.advance(4000);
    // a dies without releasing: its last renewal was at t=4s, which b saw then.
    a.stop.abort();
    await a.done;
    expect(a.stopped).toBe(1);
    expect((await lease(cluster)).spec?.holderIdentity).toBe('a');
    await clock.advance(14_000); // t = 18 s: b last saw a change at 4 s, 14 s ago
    expect(b.leading).toBe(false);
    await clock.advance(2000); // t = 20 s: 16 s since b's observation
    expect(b.leading).toBe(true);
    const l = await lease(cluster);
    expect(l.spec?.holderIdentity).toBe('b');
    expect(l.spec?.leaseTransitions).toBe(1);
    expect(Date.parse(l.spec?.acquireTime ?? '')).toBe(clock.nowMs());
    expect(b.newLeaders).toEqual(['a', 'b']);
  });

  it('never takes a Lease another live holder keeps changing, even when its renewTime (its clock) is long past', async () => {
    const { clock, cluster } = await start();
    const leases = cluster.context.client(kinds.Lease, 'kube-system');
    const past = (s: number) => new Date(Date.parse('2020-01-01T00:00:00Z') + s * 1000).toISOString().replace('Z', '000Z');
    await leases.create({
      metadata: { name: 'test-lease', namespace: 'kube-system' },
      spec: { holderIdentity: 'far', leaseDurationSeconds: 15, acquireTime: past(0), renewTime: past(0), leaseTransitions: 3 },
    });
    const b = candidate(cluster, 'b');
    for (let i = 1; i <= 20; i++) {
      await clock.advance(5000);
      // The holder, whose clock is six years behind, renews every 5 s.
      const cur = await leases.get('test-lease');
      await leases.update({ ...cur, spec: { ...cur.spec, renewTime: past(i * 5) } } as Lease);
      expect(b.leading).toBe(false);
    }
    expect((await leases.get('test-lease')).spec?.holderIdentity).toBe('far');
    expect(b.newLeaders).toEqual(['far']);
  });

  it('release on stop hands the Lease over at once (within one retryPeriod, not a leaseDuration)', async () => {
    const { clock, cluster } = await start();
    const a = candidate(cluster, 'a');
    await clock.advance(0);
    const b = candidate(cluster, 'b');
    await clock.advance(6000);
    expect(a.leading && !b.leading).toBe(true);
    a.stop.abort();
    await a.done;
    const released = await lease(cluster);
    expect(released.spec?.holderIdentity).toBe('');
    expect(released.spec?.leaseDurationSeconds).toBe(1);
    expect(a.leading).toBe(false);
    expect(a.stopped).toBe(1);
    await clock.advance(2000);
    expect(b.leading).toBe(true);
    const l = await lease(cluster);
    expect(l.spec?.holderIdentity).toBe('b');
    expect(l.spec?.leaseTransitions).toBe(1);
  });

  it('a leader whose renewals fail for renewDeadline stops leading (its signal aborts) and does not release a Lease it lost', async () => {
    const { clock, cluster } = await start();
    const a = candidate(cluster, 'a');
    await clock.advance(0);
    expect(a.leading).toBe(true);
    const leases = cluster.context.client(kinds.Lease, 'kube-system');
    const cur = await leases.get('test-lease');
    await leases.update({ ...cur, spec: { ...cur.spec, holderIdentity: 'intruder' } } as Lease);
    await clock.advance(8000);
    expect(a.leading).toBe(true);
    await clock.advance(4000);
    expect(a.leading).toBe(false);
    await a.done;
    expect(a.stopped).toBe(1);
    expect((await leases.get('test-lease')).spec?.holderIdentity).toBe('intruder');
  });

  it('writes carry the resourceVersion read: a stale write fails Conflict', async () => {
    const { cluster } = await start();
    const two = await expectStaleLeaseWriteConflicts(cluster.context, cluster.context, 'test-lease');
    await expect(two.create(LEASE_RECORD)).rejects.toSatisfy((e) => TugboatError.is(e, 'AlreadyExists'));
  });

  it('rejects bad durations naming the field, and runs once at a time', async () => {
    const { cluster } = await start();
    const make = (o: Partial<LeaderElectorOptions>) =>
      new LeaderElector(cluster.context, { name: 'x', callbacks: { onStartedLeading: () => undefined }, ...o });
    expect(() => make({ leaseDurationMs: 10_000 })).toThrow(/leaseDurationMs.*greater than renewDeadlineMs/);
    expect(() => make({ retryPeriodMs: 0 })).toThrow(/retryPeriodMs/);
    expect(() => make({ retryPeriodMs: 9000 })).toThrow(/renewDeadlineMs/);
    expect(() => make({ name: '' })).toThrow(/leaderElection.name/);
    expect(() => make({ identity: '' })).toThrow(/leaderElection.identity/);
    const e = make({});
    expect(e.identity).toMatch(/_/);
    const stop = new AbortController();
    runs.push(stop);
    const first = e.run(stop.signal);
    await expect(e.run(stop.signal)).rejects.toThrow(/running already/);
    stop.abort();
    await first;
  });
});
