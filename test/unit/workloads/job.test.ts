/**
 * Jobs end to end on a mock cluster: completions and parallelism, back-off between retries,
 * backoffLimit, activeDeadlineSeconds, Indexed completion, suspend/resume, TTL, the pod failure
 * policy and finalizer-based tracking, all on a FakeClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../../src/model/types.js';
import { startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function job(
  name: string,
  spec: Partial<NonNullable<Job['spec']>> = {},
  image = 'task:1',
  restartPolicy: 'Never' | 'OnFailure' = 'Never',
): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'main', image }] } }, ...spec },
  };
}

const getJob = (name: string) => m!.cluster.jobs('default').get(name);
const podsOf = async (name: string): Promise<Pod[]> =>
  (await m!.cluster.pods('default').list({ labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
const cond = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');
const finished = async (name: string) => {
  const j = await getJob(name);
  return !!(cond(j, 'Complete') || cond(j, 'Failed'));
};

describe('Job on a mock cluster', () => {
  it('runs completions pods, at most parallelism at once, and completes', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('task:1', { exitAfterMs: 5000 });
    await m.cluster.apply(job('work', { completions: 5, parallelism: 2 }));
    let maxActive = 0;
    await m.cluster.advanceUntil(
      async () => {
        const running = (await podsOf('work')).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        maxActive = Math.max(maxActive, running.length);
        return finished('work');
      },
      { maxMs: 120_000, what: 'job finished' },
    );
    const j = await getJob('work');
    expect(cond(j, 'Complete')).toBeDefined();
    expect(j.status).toMatchObject({ succeeded: 5, failed: 0, active: 0, ready: 0 });
    expect(j.status?.startTime).toBeDefined();
    expect(j.status?.completionTime).toBe(cond(j, 'Complete')?.lastTransitionTime);
    expect(j.status?.uncountedTerminatedPods).toEqual({ succeeded: [], failed: [] });
    expect(maxActive).toBe(2);
    const pods = await podsOf('work');
    expect(pods).toHaveLength(5);
    for (const p of pods) {
      // Kubernetes' labels, and the tracking finalizer removed once counted.
      expect(p.metadata.labels).toMatchObject({
        'batch.kubernetes.io/controller-uid': j.metadata.uid,
        'controller-uid': j.metadata.uid,
        'batch.kubernetes.io/job-name': 'work',
        'job-name': 'work',
      });
      expect(p.metadata.finalizers ?? []).not.toContain('batch.kubernetes.io/job-tracking');
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'work', controller: true });
    }
  });

  it('puts the tracking finalizer on pods while they run', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 60_000 });
    await m.cluster.apply(job('held'));
    await m.cluster.advanceUntil(async () => (await podsOf('held')).some((p) => p.status?.phase === 'Running'), { what: 'running' });
    const [pod] = await podsOf('held');
    expect(pod.metadata.finalizers).toContain('batch.kubernetes.io/job-tracking');
    expect((await getJob('held')).status).toMatchObject({ active: 1 });
  });

  it('retries a failing pod after 10 s, 20 s, 40 s of back-off, then fails with BackoffLimitExceeded', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 1000, exitCode: 2 });
    await m.cluster.apply(job('flaky', { backoffLimit: 3 }));
    await m.cluster.advanceUntil(() => finished('flaky'), { maxMs: 600_000, what: 'job failed' });
    const j = await getJob('flaky');
    expect(cond(j, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(cond(j, 'Complete')).toBeUndefined();
    expect(j.status).toMatchObject({ failed: 4, succeeded: 0, active: 0 });
    const pods = (await podsOf('flaky')).sort(
      (a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!),
    );
    expect(pods).toHaveLength(4);
    // Each replacement waits 10 s, 20 s, 40 s from the previous pod's failure (timestamps are whole seconds).
    const finishedAt = (p: Pod) => Date.parse(p.status!.containerStatuses![0].state!.terminated!.finishedAt!);
    const gaps = pods.slice(1).map((p, i) => Date.parse(p.metadata.creationTimestamp!) - finishedAt(pods[i]));
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(10_000 * 2 ** i);
      expect(g).toBeLessThanOrEqual(10_000 * 2 ** i + 2000);
    });
    const events = (
      await m.cluster.client<{ involvedObject?: { name?: string }; reason?: string; type?: string } & Pod>('v1', 'Event', 'default').list()
    ).items.filter((e) => e.involvedObject?.name === 'flaky');
    expect(events.some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning')).toBe(true);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and deletes its running pods', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 600_000 });
    await m.cluster.apply(job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
    const t0 = m.clock.nowMs();
    await m.cluster.advanceUntil(() => finished('slow'), { maxMs: 120_000, what: 'deadline' });
    const took = m.clock.nowMs() - t0;
    expect(took).toBeGreaterThanOrEqual(30_000);
    expect(took).toBeLessThan(33_000);
    const j = await getJob('slow');
    expect(cond(j, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded' });
    expect(j.status).toMatchObject({ active: 0, failed: 2 });
    await m.cluster.advanceUntil(async () => (await podsOf('slow')).length === 0, { what: 'pods gone' });
  });

  it('Indexed: one pod per index with the annotation, env, hostname, and completedIndexes', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('task:1', { exitAfterMs: 2000 });
    await m.cluster.apply(job('idx', { completionMode: 'Indexed', completions: 4, parallelism: 2 }));
    const indexes = new Map<string, string>();
    await m.cluster.advanceUntil(
      async () => {
        for (const p of await podsOf('idx'))
          indexes.set(p.metadata.name!, p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '');
        return finished('idx');
      },
      { what: 'indexed done' },
    );
    const j = await getJob('idx');
    expect(cond(j, 'Complete')).toBeDefined();
    expect(j.status).toMatchObject({ succeeded: 4, completedIndexes: '0-3' });
    const pods = await podsOf('idx');
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2', '3']);
    for (const p of pods) {
      const ix = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
      expect(p.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe(ix);
      expect(p.metadata.name!.startsWith(`idx-${ix}-`)).toBe(true);
      expect(p.spec?.hostname).toBe(`idx-${ix}`);
      const env = p.spec?.containers[0].env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
      expect(env?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
  });

  it('Indexed: a failed index is retried with the same index', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 60_000 });
    await m.cluster.apply(job('redo', { completionMode: 'Indexed', completions: 2, parallelism: 2 }));
    await m.cluster.advanceUntil(async () => (await podsOf('redo')).filter((p) => p.status?.phase === 'Running').length === 2, {
      what: 'both running',
    });
    const one = (await podsOf('redo')).find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1')!;
    m.runtime.crash({ namespace: 'default', pod: one.metadata.name!, exitCode: 1 });
    await m.cluster.advanceUntil(async () => (await podsOf('redo')).length === 3, { what: 'replacement', maxMs: 30_000 });
    const replacement = (await podsOf('redo')).find(
      (p) => p.metadata.name !== one.metadata.name && p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1',
    );
    expect(replacement).toBeDefined();
    expect((await getJob('redo')).status).toMatchObject({ failed: 1 });
  });

  it('a succeeded pod deleted at once is still counted once (the finalizer holds it)', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 3000 });
    await m.cluster.apply(job('once', { completions: 2, parallelism: 1 }));
    // Delete the first pod the moment it succeeds, before the controller can look.
    let deleted: string | undefined;
    const stop = m.cluster.pods('default');
    await m.cluster.advanceUntil(
      async () => {
        const p = (await podsOf('once')).find((x) => x.status?.phase === 'Succeeded' && !x.metadata.deletionTimestamp);
        if (p && !deleted) {
          deleted = p.metadata.name;
          await stop.delete(p.metadata.name!, { gracePeriodSeconds: 0 });
        }
        return deleted !== undefined;
      },
      { stepMs: 100, what: 'first success' },
    );
    await m.cluster.advanceUntil(() => finished('once'), { what: 'complete' });
    const j = await getJob('once');
    expect(cond(j, 'Complete')).toBeDefined();
    expect(j.status).toMatchObject({ succeeded: 2, failed: 0 });
    // Two pods in all: the deleted one was not replaced.
    const names = new Set((await podsOf('once')).map((p) => p.metadata.name));
    expect(names.has(deleted!)).toBe(false);
    expect(names.size).toBe(1);
  });

  it('a running pod deleted by hand counts as one failure and is replaced', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 20_000 });
    await m.cluster.apply(job('kill', { backoffLimit: 6 }));
    await m.cluster.advanceUntil(async () => (await podsOf('kill')).some((p) => p.status?.phase === 'Running'), { what: 'running' });
    const [first] = await podsOf('kill');
    await m.cluster.pods('default').delete(first.metadata.name!);
    await m.cluster.advanceUntil(() => finished('kill'), { maxMs: 120_000, what: 'complete' });
    const j = await getJob('kill');
    expect(cond(j, 'Complete')).toBeDefined();
    expect(j.status).toMatchObject({ succeeded: 1, failed: 1 });
    await m.cluster.advanceUntil(async () => !(await podsOf('kill')).some((p) => p.metadata.name === first.metadata.name), {
      what: 'deleted pod gone',
    });
  });

  it('suspend deletes the active pods and resume starts them again with a new startTime', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 600_000 });
    await m.cluster.apply(job('pause', { parallelism: 2, completions: 2 }));
    await m.cluster.advanceUntil(async () => (await getJob('pause')).status?.active === 2, { what: 'active 2' });
    const started = (await getJob('pause')).status?.startTime;
    await m.cluster.jobs('default').patch('pause', { spec: { suspend: true } });
    await m.cluster.advanceUntil(async () => (await podsOf('pause')).length === 0, { what: 'pods deleted' });
    let j = await getJob('pause');
    expect(j.status?.active).toBe(0);
    expect(j.status?.conditions?.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    await m.advance(10_000);
    expect(await podsOf('pause')).toHaveLength(0);
    await m.cluster.jobs('default').patch('pause', { spec: { suspend: false } });
    await m.cluster.advanceUntil(async () => (await getJob('pause')).status?.active === 2, { what: 'resumed' });
    j = await getJob('pause');
    expect(j.status?.conditions?.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(j.status?.startTime).not.toBe(started);
    expect(j.status?.failed ?? 0).toBe(0);
  });

  it('a Job created suspended starts no pod and has no startTime', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(job('later', { suspend: true }));
    await m.advance(5000);
    const j = await getJob('later');
    expect(await podsOf('later')).toHaveLength(0);
    expect(j.status?.startTime).toBeUndefined();
    expect(cond(j, 'Suspended')).toBeDefined();
  });

  it('ttlSecondsAfterFinished deletes the Job and its pods that long after it finished', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 1000 });
    await m.cluster.apply(job('brief', { ttlSecondsAfterFinished: 60 }));
    await m.cluster.advanceUntil(() => finished('brief'), { what: 'done' });
    const doneAt = m.clock.nowMs();
    await m.advance(55_000);
    expect(await podsOf('brief')).toHaveLength(1);
    await m.cluster.advanceUntil(async () => (await m!.cluster.jobs('default').list()).items.length === 0, {
      maxMs: 30_000,
      what: 'job deleted',
    });
    expect(m.clock.nowMs() - doneAt).toBeGreaterThanOrEqual(60_000);
    await m.cluster.advanceUntil(async () => (await podsOf('brief')).length === 0, { what: 'pods deleted' });
  });

  it('podFailurePolicy: FailJob on an exit code fails at once with reason PodFailurePolicy', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 1000, exitCode: 42 });
    await m.cluster.apply(
      job('fatal', {
        backoffLimit: 6,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      }),
    );
    await m.cluster.advanceUntil(() => finished('fatal'), { what: 'failed' });
    const j = await getJob('fatal');
    expect(cond(j, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy' });
    expect(cond(j, 'Failed')?.message).toMatch(
      /^Container main for pod default\/fatal-\w+ failed with exit code 42 matching FailJob rule at index 0$/,
    );
    expect(cond(j, 'FailureTarget')).toBeDefined();
    expect(await podsOf('fatal')).toHaveLength(1);
  });

  it('podFailurePolicy: Ignore does not count the failure, Count does', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 1000, exitCode: 3 });
    await m.cluster.apply(
      job('ignored', {
        backoffLimit: 0,
        podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] },
      }),
    );
    await m.cluster.advanceUntil(async () => (await podsOf('ignored')).length >= 3, { maxMs: 60_000, what: 'retried' });
    const j = await getJob('ignored');
    expect(cond(j, 'Failed')).toBeUndefined();
    expect(j.status?.failed ?? 0).toBe(0);

    m.runtime.image('task:2', { exitAfterMs: 1000, exitCode: 3 });
    await m.cluster.apply(
      job(
        'counted',
        { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'In', values: [3] } }] } },
        'task:2',
      ),
    );
    await m.cluster.advanceUntil(() => finished('counted'), { what: 'counted failed' });
    expect(cond(await getJob('counted'), 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
  });

  it('restartPolicy OnFailure: container restarts count toward backoffLimit', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 500, exitCode: 1 });
    await m.cluster.apply(job('restarts', { backoffLimit: 2 }, 'task:1', 'OnFailure'));
    await m.cluster.advanceUntil(() => finished('restarts'), { maxMs: 300_000, what: 'failed' });
    expect(cond(await getJob('restarts'), 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    // One pod, restarted in place by the kubelet.
    expect(await podsOf('restarts')).toHaveLength(0);
  });

  it('completions unset: done when one pod succeeds and the rest have finished', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 2000 });
    await m.cluster.apply(job('queue', { parallelism: 3 }));
    await m.cluster.advanceUntil(() => finished('queue'), { what: 'done' });
    const j = await getJob('queue');
    expect(cond(j, 'Complete')).toBeDefined();
    expect(j.status?.succeeded).toBe(3);
    await m.cluster.settled();
  });
});
