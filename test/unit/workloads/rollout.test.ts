/**
 * `cluster.rollout(...)` end to end: undo restores an earlier template and the pods follow,
 * history lists revisions, pause/resume gate progress, restart replaces every pod, and status
 * resolves on completion or rejects on ProgressDeadlineExceeded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  deployment,
  imageOf,
  podsWith,
  replicaSetsOf,
  setImage,
  startMockCluster,
  untilConverged,
  type MockCluster,
} from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

/** Moves fake time (cluster.advanceUntil) until `promise` settles; returns how it settled and the fake time it took. */
async function drive<T>(mc: MockCluster, promise: Promise<T>, maxMs = 300_000): Promise<{ value?: T; error?: unknown; tookMs: number }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  const start = mc.clock.nowMs();
  await mc.cluster.advanceUntil(() => outcome, { maxMs, what: 'the promise to settle' });
  return { ...outcome, tookMs: mc.clock.nowMs() - start };
}

async function webAt(image: string, replicas = 3): Promise<MockCluster> {
  m = await startMockCluster({ nodes: 3 });
  m.runtime.image('web:1', { readyAfterMs: 2000 }).image('web:2', { readyAfterMs: 2000 }).image('web:3', { readyAfterMs: 2000 });
  await m.cluster.apply(deployment('web', { replicas, image }));
  await untilConverged(m, 'default', 'web', image, replicas);
  return m;
}

const images = async (mc: MockCluster) => (await podsWith(mc.cluster, 'default', { app: 'web' })).map(imageOf);

describe('rollout on a mock cluster', () => {
  it('history lists revisions; undo restores the previous template and the pods follow; undo toRevision', async () => {
    const mc = await webAt('web:1');
    const rollout = mc.cluster.rollout('default', 'web');
    await setImage(mc.cluster, 'default', 'web', 'web:2');
    await untilConverged(mc, 'default', 'web', 'web:2', 3);
    let history = await rollout.history();
    expect(history.map((r) => [r.revision, r.template.spec?.containers[0]?.image])).toEqual([
      [1, 'web:1'],
      [2, 'web:2'],
    ]);

    await rollout.undo();
    await untilConverged(mc, 'default', 'web', 'web:1', 3);
    const d = await mc.cluster.deployments('default').get('web');
    expect(d.spec?.template?.spec?.containers[0]?.image).toBe('web:1');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    // The revision-1 ReplicaSet was reused and became revision 3; no third ReplicaSet was made.
    history = await rollout.history();
    expect(history.map((r) => [r.revision, r.template.spec?.containers[0]?.image])).toEqual([
      [2, 'web:2'],
      [3, 'web:1'],
    ]);
    expect(await replicaSetsOf(mc.cluster, 'default', 'web')).toHaveLength(2);

    await rollout.undo({ toRevision: 2 });
    await untilConverged(mc, 'default', 'web', 'web:2', 3);
    expect(await images(mc)).toEqual(['web:2', 'web:2', 'web:2']);
    await expect(rollout.undo({ toRevision: 9 })).rejects.toThrow();
  });

  it('pause stops progress (no new ReplicaSet, scaling still applies); resume continues', async () => {
    const mc = await webAt('web:1');
    const rollout = mc.cluster.rollout('default', 'web');
    await rollout.pause();
    await setImage(mc.cluster, 'default', 'web', 'web:2');
    await mc.advance(30_000, { stepMs: 2000 });
    expect(await replicaSetsOf(mc.cluster, 'default', 'web')).toHaveLength(1);
    expect(await images(mc)).toEqual(['web:1', 'web:1', 'web:1']);
    const paused = await mc.cluster.deployments('default').get('web');
    expect(paused.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
    });
    await expect(rollout.undo()).rejects.toThrow(/paused/);

    await mc.cluster.scale('default', 'Deployment', 'web', 4);
    await untilConverged(mc, 'default', 'web', 'web:1', 4);

    await rollout.resume();
    await untilConverged(mc, 'default', 'web', 'web:2', 4);
    expect(await replicaSetsOf(mc.cluster, 'default', 'web')).toHaveLength(2);
  });

  it('restart replaces every pod with the same image', async () => {
    const mc = await webAt('web:1');
    const before = new Set((await podsWith(mc.cluster, 'default', { app: 'web' })).map((p) => p.metadata.uid));
    const d = await mc.cluster.rollout('default', 'web').restart();
    expect(d.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(
      mc.clock
        .now()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
    );
    await untilConverged(mc, 'default', 'web', 'web:1', 3);
    const after = await podsWith(mc.cluster, 'default', { app: 'web' });
    expect(after.filter((p) => before.has(p.metadata.uid))).toEqual([]);
    expect(after.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'])).toBe(true);
  });

  it('status resolves once the rollout completes', async () => {
    const mc = await webAt('web:1', 4);
    await setImage(mc.cluster, 'default', 'web', 'web:2');
    const { value, error, tookMs } = await drive(mc, mc.cluster.rollout('default', 'web').status({ timeoutMs: 20_000 }));
    expect(error).toBeUndefined();
    expect(tookMs).toBeGreaterThanOrEqual(2000); // at least one readiness delay
    expect(value?.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    expect(await images(mc)).toEqual(['web:2', 'web:2', 'web:2', 'web:2']);
  });

  it('status rejects with ProgressDeadlineExceeded when readiness never comes (progressDeadlineSeconds 60)', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('never:1', { readyAfterMs: 1e9 });
    await m.cluster.apply(deployment('web', { replicas: 2, image: 'never:1', progressDeadlineSeconds: 60 }));
    const started = m.clock.nowMs();
    const { error } = await drive(m, m.cluster.rollout('default', 'web').status({ timeoutMs: 20_000 }), 120_000);
    expect(String(error)).toMatch(/exceeded its progress deadline/);
    expect(m.clock.nowMs() - started).toBeGreaterThanOrEqual(60_000);
    const d = await m.cluster.deployments('default').get('web');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: expect.stringContaining('has timed out progressing'),
    });
  });
});

describe('revision history on a mock cluster', () => {
  it('keeps revisionHistoryLimit old ReplicaSets and records the change cause', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster } = m;
    const d = deployment('web', { replicas: 2 });
    d.spec!.revisionHistoryLimit = 2;
    await cluster.apply(d);
    await untilConverged(m, 'default', 'web', 'web:1', 2);
    for (const v of [2, 3, 4, 5]) {
      await cluster.deployments('default').patch(
        'web',
        {
          metadata: { annotations: { 'kubernetes.io/change-cause': `set image web:${v}` } },
          spec: { template: { spec: { containers: [{ name: 'app', image: `web:${v}` }] } } },
        },
        'strategic',
      );
      await untilConverged(m, 'default', 'web', `web:${v}`, 2);
    }
    const history = await cluster.rollout('default', 'web').history();
    expect(history.map((r) => r.revision)).toEqual([3, 4, 5]);
    expect(history.map((r) => r.changeCause)).toEqual(['set image web:3', 'set image web:4', 'set image web:5']);
    expect(await replicaSetsOf(cluster, 'default', 'web')).toHaveLength(3);
  });
});
