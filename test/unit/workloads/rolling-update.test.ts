/**
 * Rolling updates end to end (Cluster + scheduler + node agents over one MockRuntime, FakeClock):
 * the maxSurge / maxUnavailable bounds hold at every watch event and after every clock step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../../../src/model/types.js';
import {
  deployment,
  imageOf,
  isReady,
  isTerminatingOrDone,
  podsWith,
  replicaSetsOf,
  setImage,
  startMockCluster,
  untilConverged,
  type MockCluster,
} from '../../support/mock-cluster.js';
import { PodWatch } from './pod-watch.js';

let m: MockCluster | undefined;
let watch: PodWatch | undefined;
afterEach(async () => {
  await watch?.stop();
  await m?.stop();
  m = watch = undefined;
});

/** Kubernetes' int-or-percent resolution: surge rounds up, unavailable rounds down. */
function resolve(v: number | string, replicas: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = (Number(v.slice(0, -1)) * replicas) / 100;
  return roundUp ? Math.ceil(pct) : Math.floor(pct);
}

interface Bounds {
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  minReadySeconds: number;
}

/** Pods of app=web that count for the Deployment: not terminating, not finished. */
const live = (pods: Pod[]) => pods.filter((p) => p.metadata.labels?.app === 'web' && !isTerminatingOrDone(p));

/** Ready for minReadySeconds at `nowMs` (Kubernetes' "available"). */
function available(p: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isReady(p)) return false;
  const since = Date.parse(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= nowMs;
}

async function rollingUpdate(strategy: { maxSurge: number | string; maxUnavailable: number | string }, minReadySeconds = 0) {
  m = await startMockCluster({ nodes: 3 });
  const { cluster, clock, runtime } = m;
  runtime.image('web:1', { readyAfterMs: 3000, startupMs: 500, stopMs: 2000 });
  runtime.image('web:2', { readyAfterMs: 4000, startupMs: 500, stopMs: 2000 });
  const replicas = 10;
  const b: Bounds = {
    replicas,
    maxSurge: resolve(strategy.maxSurge, replicas, true),
    maxUnavailable: resolve(strategy.maxUnavailable, replicas, false),
    minReadySeconds,
  };
  await cluster.apply(deployment('web', { replicas, minReadySeconds, strategy: { type: 'RollingUpdate', rollingUpdate: strategy } }));
  await untilConverged(m, 'default', 'web', 'web:1', replicas);
  await m!.advance((minReadySeconds + 1) * 1000);

  let maxLive = 0;
  let minReady = Infinity;
  watch = new PodWatch(cluster, (pods) => {
    const out: string[] = [];
    const l = live(pods);
    const ready = l.filter(isReady).length;
    const avail = l.filter((p) => available(p, b.minReadySeconds, clock.nowMs())).length;
    maxLive = Math.max(maxLive, l.length);
    minReady = Math.min(minReady, ready);
    if (l.length > b.replicas + b.maxSurge) out.push(`${l.length} pods > replicas + maxSurge = ${b.replicas + b.maxSurge}`);
    if (ready < b.replicas - b.maxUnavailable)
      out.push(`${ready} ready pods < replicas - maxUnavailable = ${b.replicas - b.maxUnavailable}`);
    if (avail < b.replicas - b.maxUnavailable)
      out.push(`${avail} available pods < replicas - maxUnavailable = ${b.replicas - b.maxUnavailable}`);
    return out;
  });
  await watch.ready;
  const onStep = async () => watch!.record(`step at +${clock.nowMs()}`, await podsWith(cluster, 'default', { app: 'web' }));

  await setImage(cluster, 'default', 'web', 'web:2');
  await untilConverged(m, 'default', 'web', 'web:2', replicas, { onStep });
  await m!.advance(5000, { stepMs: 1000, onStep: onStep });

  expect(watch.events).toBeGreaterThan(replicas * 2);
  expect(watch.violations).toEqual([]);
  // The bounds are used, not just respected: the controller surges, and never needs to go below.
  expect(maxLive).toBeGreaterThan(replicas);
  expect(maxLive).toBeLessThanOrEqual(replicas + b.maxSurge);
  expect(minReady).toBeGreaterThanOrEqual(replicas - b.maxUnavailable);

  const pods = await podsWith(cluster, 'default', { app: 'web' });
  expect(pods).toHaveLength(replicas);
  expect(pods.every((p) => imageOf(p) === 'web:2' && isReady(p))).toBe(true);
  const sets = await replicaSetsOf(cluster, 'default', 'web');
  expect(sets).toHaveLength(2);
  const [oldRS] = sets.filter((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'web:1');
  const [newRS] = sets.filter((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'web:2');
  expect(oldRS?.spec?.replicas).toBe(0);
  expect(newRS?.spec?.replicas).toBe(replicas);
  const d = await cluster.deployments('default').get('web');
  expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
  return { maxLive, minReady };
}

describe('RollingUpdate on a mock cluster', () => {
  it('maxSurge 2 / maxUnavailable 1: never more than 12 pods, never fewer than 9 ready', async () => {
    const { maxLive } = await rollingUpdate({ maxSurge: 2, maxUnavailable: 1 });
    expect(maxLive).toBe(12); // Kubernetes scales the new RS up to replicas + maxSurge at once
  });

  it('percentages 25% / 25% resolve as Kubernetes does (surge rounds up to 3, unavailable down to 2)', async () => {
    const { maxLive, minReady } = await rollingUpdate({ maxSurge: '25%', maxUnavailable: '25%' });
    expect(maxLive).toBe(13);
    expect(minReady).toBeGreaterThanOrEqual(8);
  });

  it('minReadySeconds 5 with maxUnavailable 0: old pods go only once new ones were ready for 5 s', async () => {
    await rollingUpdate({ maxSurge: 1, maxUnavailable: 0 }, 5);
  });

  it('Recreate: never old and new pods at once', async () => {
    m = await startMockCluster({ nodes: 3 });
    const { cluster, clock, runtime } = m;
    runtime.image('web:1', { readyAfterMs: 1000, stopMs: 5000 });
    runtime.image('web:2', { readyAfterMs: 1000 });
    await cluster.apply(deployment('web', { replicas: 4, strategy: { type: 'Recreate' } }));
    await untilConverged(m, 'default', 'web', 'web:1', 4);
    let sawOnlyTerminatingOld = false;
    watch = new PodWatch(cluster, (pods) => {
      const web = pods.filter((p) => p.metadata.labels?.app === 'web');
      const oldRunning = web.filter((p) => imageOf(p) === 'web:1' && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      const fresh = web.filter((p) => imageOf(p) === 'web:2');
      if (oldRunning.length > 0 && oldRunning.every((p) => p.metadata.deletionTimestamp)) sawOnlyTerminatingOld = true;
      return oldRunning.length > 0 && fresh.length > 0 ? [`${oldRunning.length} old pods still running beside ${fresh.length} new`] : [];
    });
    await watch.ready;
    const onStep = async () => watch!.record(`step at +${clock.nowMs()}`, await podsWith(cluster, 'default', { app: 'web' }));
    await setImage(cluster, 'default', 'web', 'web:2');
    const took = await untilConverged(m, 'default', 'web', 'web:2', 4, { onStep });
    expect(watch.violations).toEqual([]);
    expect(sawOnlyTerminatingOld).toBe(true); // the old pods' 5 s stop was waited for
    expect(took).toBeGreaterThanOrEqual(5000);
    const sets = await replicaSetsOf(cluster, 'default', 'web');
    expect(sets.map((rs) => rs.spec?.replicas).sort()).toEqual([0, 4]);
    const d: Deployment = await cluster.deployments('default').get('web');
    expect(d.status?.updatedReplicas).toBe(4);
  });
});

describe('a bad update does not take the service down', () => {
  it.each([
    ['never ready', { readyAfterMs: 1e9 }, 'Running'],
    ['pull error', { pullError: 'manifest unknown' }, 'Pending'],
  ] as const)('image %s: maxSurge 1 / maxUnavailable 1 removes at most one old pod and stalls', async (_label, behavior, phase) => {
    m = await startMockCluster({ nodes: 3 });
    const { cluster, clock, runtime } = m;
    runtime.image('web:1', { readyAfterMs: 1000 });
    runtime.image('bad:1', behavior);
    await cluster.apply(
      deployment('web', { replicas: 5, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }),
    );
    await untilConverged(m, 'default', 'web', 'web:1', 5);
    watch = new PodWatch(cluster, (pods) => {
      const l = live(pods);
      const ready = l.filter(isReady).length;
      return [...(ready < 4 ? [`${ready} ready < 4`] : []), ...(l.length > 6 ? [`${l.length} pods > 6`] : [])];
    });
    await watch.ready;
    await setImage(cluster, 'default', 'web', 'bad:1');
    await m!.advance(120_000, {
      stepMs: 2000,
      onStep: async () => watch!.record(`step +${clock.nowMs()}`, await podsWith(cluster, 'default', { app: 'web' })),
    });
    expect(watch.violations).toEqual([]);
    const pods = live(await podsWith(cluster, 'default', { app: 'web' }));
    const old = pods.filter((p) => imageOf(p) === 'web:1');
    const bad = pods.filter((p) => imageOf(p) === 'bad:1');
    expect(old).toHaveLength(4);
    expect(old.every(isReady)).toBe(true);
    expect(bad).toHaveLength(2);
    expect(bad.every((p) => !isReady(p) && p.status?.phase === phase)).toBe(true);
    if (phase === 'Pending') {
      const reasons = bad.map((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason);
      expect(reasons.every((r) => r === 'ImagePullBackOff' || r === 'ErrImagePull')).toBe(true);
    }
  });
});
