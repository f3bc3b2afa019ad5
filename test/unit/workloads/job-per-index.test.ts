/**
 * backoffLimitPerIndex on a mock cluster: an index that keeps failing is retried on its own up to
 * its limit (each pod annotated with its index's earlier failures), then listed in
 * status.failedIndexes and not retried, while the other indexes complete; the Job fails with
 * FailedIndexes, or MaxFailedIndexesExceeded once more indexes failed than maxFailedIndexes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../../src/model/types.js';
import { startMockCluster, type MockCluster } from '../../support/mock-cluster.js';
import { rejection } from '../../support/rejection.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILURES = 'batch.kubernetes.io/job-index-failure-count';

function job(spec: Partial<NonNullable<Job['spec']>>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'default' },
    spec: {
      completionMode: 'Indexed',
      completions: 3,
      parallelism: 3,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'task:1' }] } },
      ...spec,
    },
  };
}

const podsOf = async (): Promise<Pod[]> =>
  (await m!.cluster.pods('default').list({ labelSelector: 'batch.kubernetes.io/job-name=work' })).items;
const failedCondition = (j: Job | undefined) => j?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');

/** Crashes every running pod of `index`. */
async function crashIndex(index: string): Promise<void> {
  for (const p of await podsOf()) {
    if (p.metadata.annotations?.[INDEX] !== index || p.status?.phase !== 'Running') continue;
    try {
      m!.runtime.crash({ namespace: 'default', pod: p.metadata.name!, exitCode: 1 });
    } catch {
      // not running in the runtime yet
    }
  }
}

describe('backoffLimitPerIndex', () => {
  it('retries a failing index up to its own limit, then fails it; the others complete; the Job fails FailedIndexes', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('task:1', { exitAfterMs: 5000 });
    await m.cluster.apply(job({ backoffLimitPerIndex: 1 }));
    expect((await m.cluster.jobs().get('work')).spec?.backoffLimit).toBe(2147483647);
    const j = await m.cluster.advanceUntil(
      async () => {
        await crashIndex('1');
        const j = await m!.cluster.jobs().get('work');
        return failedCondition(j) ? j : undefined;
      },
      { maxMs: 300_000 },
    );
    expect(failedCondition(j)).toMatchObject({ reason: 'FailedIndexes', message: 'Job has failed indexes' });
    expect(j?.status).toMatchObject({ failedIndexes: '1', completedIndexes: '0,2', succeeded: 2, failed: 2 });
    const index1 = (await podsOf()).filter((p) => p.metadata.annotations?.[INDEX] === '1');
    expect(index1.map((p) => p.metadata.annotations?.[FAILURES]).sort()).toEqual(['0', '1']);
    expect(index1.every((p) => p.status?.phase === 'Failed')).toBe(true);
  });

  it('maxFailedIndexes: more failed indexes than allowed fails the Job at once (MaxFailedIndexesExceeded)', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('task:1', { exitAfterMs: 600_000 });
    await m.cluster.apply(job({ backoffLimitPerIndex: 0, maxFailedIndexes: 0 }));
    const j = await m.cluster.advanceUntil(
      async () => {
        await crashIndex('0');
        const j = await m!.cluster.jobs().get('work');
        return failedCondition(j) ? j : undefined;
      },
      { maxMs: 120_000 },
    );
    expect(failedCondition(j)).toMatchObject({ reason: 'MaxFailedIndexesExceeded' });
    expect(j?.status?.failedIndexes).toBe('0');
    await m.cluster.advanceUntil(async () => (await podsOf()).every((p) => p.metadata.deletionTimestamp || p.status?.phase === 'Failed'), {
      maxMs: 60_000,
    });
  });

  it('is refused without Indexed completion, and maxFailedIndexes without it or above completions', async () => {
    m = await startMockCluster({ nodes: 1 });
    const nonIndexed = await rejection(m.cluster.jobs().create(job({ completionMode: 'NonIndexed', backoffLimitPerIndex: 1 })));
    expect(nonIndexed.causes).toEqual([
      expect.objectContaining({ field: 'spec.backoffLimitPerIndex', message: expect.stringContaining('requires indexed completion mode') }),
    ]);
    const alone = await rejection(m.cluster.jobs().create(job({ maxFailedIndexes: 1 })));
    expect(alone.causes.map((c) => c.field)).toEqual(['spec.backoffLimitPerIndex']);
    const above = await rejection(m.cluster.jobs().create(job({ backoffLimitPerIndex: 1, maxFailedIndexes: 4 })));
    expect(above.causes.map((c) => c.field)).toEqual(['spec.maxFailedIndexes']);
    expect(await m.cluster.jobs().find('work')).toBeUndefined();
  });
});
