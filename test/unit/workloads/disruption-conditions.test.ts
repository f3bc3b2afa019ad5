/**
 * DisruptionTarget on a mock cluster: a preemption victim is marked (PreemptionByScheduler)
 * before it is deleted; a pod marked but never deleted has the condition reset to False after
 * two minutes by the disruption controller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import { startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const disruption = (p: Pod | undefined) => p?.status?.conditions?.find((c) => c.type === 'DisruptionTarget');

describe('DisruptionTarget', () => {
  it('a preemption victim says why it goes', async () => {
    m = await startMockCluster({ nodes: 1, capacity: { cpu: '2', memory: '4Gi', pods: '110' } });
    const { cluster } = m;
    await cluster.apply([
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
    ]);
    const pod = (name: string, pc: string, cpu: string): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      // The finalizer keeps the victim readable after its deletion.
      metadata: { name, namespace: 'default', ...(pc === 'low' ? { finalizers: ['example.com/hold'] } : {}) },
      spec: { priorityClassName: pc, containers: [{ name: 'c', image: 'web:1', resources: { requests: { cpu } } }] },
    });
    await cluster.pods().create(pod('victim', 'low', '2'));
    await cluster.advanceUntil(async () => (await cluster.pods().get('victim')).status?.phase === 'Running', { maxMs: 30_000 });
    await cluster.pods().create(pod('urgent', 'high', '1'));
    const victim = await cluster.advanceUntil(
      async () => {
        const v = await cluster.pods().get('victim');
        return v.metadata.deletionTimestamp ? v : undefined;
      },
      { maxMs: 30_000 },
    );
    expect(disruption(victim)).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    await cluster.pods().patch('victim', { metadata: { finalizers: null } });
  });

  it('a stale DisruptionTarget on a pod not being deleted is reset to False after two minutes', async () => {
    m = await startMockCluster({ nodes: 1 });
    const { cluster, clock } = m;
    await cluster.pods().create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'web:1' }] } });
    await cluster.advanceUntil(async () => (await cluster.pods().get('p')).status?.phase === 'Running', { maxMs: 30_000 });
    const p = await cluster.pods().get('p');
    const now = new Date(clock.nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await cluster.pods().updateStatus({
      ...p,
      status: {
        ...p.status,
        conditions: [
          ...(p.status?.conditions ?? []),
          { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: now },
        ],
      },
    });
    await m.advance(100_000);
    expect(disruption(await cluster.pods().get('p'))?.status).toBe('True');
    await cluster.advanceUntil(async () => disruption(await cluster.pods().get('p'))?.status === 'False', { maxMs: 60_000 });
    expect(clock.nowMs() - Date.parse(now)).toBeGreaterThanOrEqual(120_000);
  });
});
