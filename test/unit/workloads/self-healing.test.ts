/**
 * Self-healing end to end: crashed containers restart with Kubernetes' back-off, a deleted pod is
 * replaced by its ReplicaSet, and `cluster.scale` adds and removes pods.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import {
  deployment,
  isReady,
  isTerminatingOrDone,
  podsWith,
  startMockCluster,
  untilConverged,
  type MockCluster,
} from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const appStatus = (p: Pod) => p.status?.containerStatuses?.find((c) => c.name === 'app');

describe('self-healing on a mock cluster', () => {
  it('a crashed container restarts at once, then after 10 s, 20 s, 40 s (the kubelet curve), waiting in CrashLoopBackOff', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster, clock, runtime } = m;
    await cluster.apply(deployment('web', { replicas: 1, readinessProbe: false }));
    await untilConverged(m, 'default', 'web', 'web:1', 1);
    const [pod] = await podsWith(cluster, 'default', { app: 'web' });
    const name = pod.metadata.name!;
    const get = () => cluster.pods('default').get(name);

    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const crashedAt = clock.nowMs();
      expect(runtime.crash({ namespace: 'default', pod: name, exitCode: 3 })).toHaveLength(1);
      if (i > 1) {
        // From the second crash on, the container waits in CrashLoopBackOff and the pod is not Ready.
        await m!.advance(2000, { stepMs: 500 });
        const waiting = await get();
        expect(appStatus(waiting)?.state?.waiting?.reason).toBe('CrashLoopBackOff');
        expect(appStatus(waiting)?.state?.waiting?.message).toContain(
          `back-off ${10 * 2 ** (i - 2)}s restarting failed container=app pod=${name}`,
        );
        expect(appStatus(waiting)?.lastState?.terminated?.exitCode).toBe(3);
        expect(appStatus(waiting)?.restartCount).toBe(i - 1);
        expect(isReady(waiting)).toBe(false);
      }
      await m!.cluster.advanceUntil(async () => appStatus(await get())?.restartCount === i, {
        stepMs: 500,
        maxMs: 120_000,
        what: `restart ${i}`,
      });
      delays.push(clock.nowMs() - crashedAt);
      const running = await get();
      expect(appStatus(running)?.state?.running).toBeDefined();
      await m!.cluster.advanceUntil(async () => isReady(await get()), { stepMs: 500, maxMs: 5000, what: 'ready again' });
    }
    // Each restart happens within half a second (one step) of its back-off.
    expect(delays.map((d) => Math.floor(d / 1000) * 1000)).toEqual([0, 10_000, 20_000, 40_000]);
    // The pod was restarted in place, never replaced.
    expect((await podsWith(cluster, 'default', { app: 'web' })).map((p) => p.metadata.name)).toEqual([name]);
  });

  it('a pod deleted by hand is replaced by its ReplicaSet', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster } = m;
    await cluster.apply(deployment('web', { replicas: 3 }));
    await untilConverged(m, 'default', 'web', 'web:1', 3);
    const before = (await podsWith(cluster, 'default', { app: 'web' })).map((p) => p.metadata.name!);
    await cluster.pods('default').delete(before[0]);
    await untilConverged(m, 'default', 'web', 'web:1', 3);
    const after = (await podsWith(cluster, 'default', { app: 'web' })).map((p) => p.metadata.name!);
    expect(after).not.toContain(before[0]);
    expect(after.filter((n) => before.includes(n)).sort()).toEqual(before.slice(1).sort());
    await m!.advance(10_000);
    expect(await podsWith(cluster, 'default', { app: 'web' })).toHaveLength(3);
  });

  it('cluster.scale adds and removes pods', async () => {
    m = await startMockCluster({ nodes: 3 });
    const { cluster } = m;
    await cluster.apply(deployment('web', { replicas: 2 }));
    await untilConverged(m, 'default', 'web', 'web:1', 2);
    await cluster.scale('default', 'Deployment', 'web', 6);
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    const d = await cluster.deployments('default').get('web');
    expect(d.spec?.replicas).toBe(6);
    await cluster.scale('default', 'Deployment', 'web', 1);
    await untilConverged(m, 'default', 'web', 'web:1', 1);
    const live = (await podsWith(cluster, 'default', { app: 'web' })).filter((p) => !isTerminatingOrDone(p));
    expect(live).toHaveLength(1);
    await cluster.scale('default', 'Deployment', 'web', 0);
    await untilConverged(m, 'default', 'web', 'web:1', 0);
    await expect(cluster.scale('default', 'Deployment', 'web', -1)).rejects.toMatchObject({ reason: 'Invalid' });
  });
});

describe('whole-object lifecycles on a mock cluster', () => {
  it('deleting the Deployment removes its ReplicaSets and pods (garbage collection)', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster } = m;
    await cluster.apply(deployment('web', { replicas: 3 }));
    await untilConverged(m, 'default', 'web', 'web:1', 3);
    await cluster.deployments('default').delete('web');
    await m!.cluster.advanceUntil(async () => (await podsWith(cluster, 'default', { app: 'web' })).length === 0, {
      maxMs: 60_000,
      what: 'pods gone',
    });
    expect((await cluster.replicaSets('default').list()).items).toEqual([]);
    expect(m.runtime.containers({ namespace: 'default' }).filter((c) => c.state === 'running')).toEqual([]);
  });

  it('removeNode: its pods are replaced on the other nodes', async () => {
    m = await startMockCluster({ nodes: 3 });
    const { cluster } = m;
    await cluster.apply(deployment('web', { replicas: 6 }));
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    const onC = (await podsWith(cluster, 'default', { app: 'web' })).filter((p) => p.spec?.nodeName === 'node-c');
    expect(onC.length).toBeGreaterThan(0);
    await cluster.removeNode('node-c');
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    const pods = await podsWith(cluster, 'default', { app: 'web' });
    expect(pods.every((p) => p.spec?.nodeName === 'node-a' || p.spec?.nodeName === 'node-b')).toBe(true);
    expect(await cluster.client('v1', 'Node').find('node-c')).toBeUndefined();
  });
});

describe('scale-down order on a mock cluster', () => {
  it('scaling down deletes a crash-looping (not ready) pod before ready ones', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster, runtime } = m;
    await cluster.apply(deployment('web', { replicas: 4, readinessProbe: false }));
    await untilConverged(m, 'default', 'web', 'web:1', 4);
    const pods = await podsWith(cluster, 'default', { app: 'web' });
    const victim = pods[2].metadata.name!;
    // The first crash restarts at once; the second leaves the pod in CrashLoopBackOff, not ready.
    runtime.crash({ namespace: 'default', pod: victim });
    await m!.cluster.advanceUntil(async () => appStatus(await cluster.pods('default').get(victim))?.restartCount === 1, {
      stepMs: 100,
      maxMs: 5000,
      what: 'victim restarted once',
    });
    runtime.crash({ namespace: 'default', pod: victim });
    await m!.cluster.advanceUntil(async () => !isReady(await cluster.pods('default').get(victim)), {
      stepMs: 500,
      maxMs: 5000,
      what: 'victim not ready',
    });
    await cluster.scale('default', 'Deployment', 'web', 3);
    await untilConverged(m, 'default', 'web', 'web:1', 3);
    const left = (await podsWith(cluster, 'default', { app: 'web' })).map((p) => p.metadata.name);
    expect(left).not.toContain(victim);
    expect(left.sort()).toEqual(
      pods
        .map((p) => p.metadata.name)
        .filter((n) => n !== victim)
        .sort(),
    );
  });
});
