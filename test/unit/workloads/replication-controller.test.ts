/**
 * ReplicationControllers on a mock cluster: defaults (selector and labels from the template),
 * validation, the ReplicaSet loop over a label-map selector (create, heal, status), cluster.scale
 * through the scale subresource, and a PodDisruptionBudget counting its scale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicationController } from '../../../src/model/types.js';
import { isReady, podsWith, startMockCluster, type MockCluster } from '../../support/mock-cluster.js';
import { rejection } from '../../support/rejection.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function rc(replicas: number, selector?: Record<string, string>): ReplicationController {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: 'default' },
    spec: {
      replicas,
      ...(selector ? { selector } : {}),
      template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } },
    },
  };
}

const ready = async (m: MockCluster, n: number) =>
  m.cluster.advanceUntil(
    async () => {
      const pods = (await podsWith(m.cluster, 'default', { app: 'legacy' })).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === n && pods.every(isReady);
    },
    { maxMs: 60_000 },
  );

describe('ReplicationController', () => {
  it('defaults its selector from the template, runs and heals its pods, reports status, and scales', async () => {
    m = await startMockCluster({ nodes: 2 });
    await m.cluster.apply(rc(3));
    const stored = await m.cluster.replicationControllers().get('legacy');
    expect(stored.spec?.selector).toEqual({ app: 'legacy' });
    expect(stored.metadata.labels).toEqual({ app: 'legacy' });
    await ready(m, 3);
    const pods = await podsWith(m.cluster, 'default', { app: 'legacy' });
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController')).toBe(true);
    await m.cluster.advanceUntil(async () => (await m!.cluster.replicationControllers().get('legacy')).status?.readyReplicas === 3, {
      maxMs: 30_000,
    });
    await m.cluster.pods().delete(pods[0]!.metadata.name!, { gracePeriodSeconds: 0 });
    await ready(m, 3);
    const scale = await m.cluster.scale('default', 'ReplicationController', 'legacy', 5);
    expect(scale).toMatchObject({ spec: { replicas: 5 }, status: { selector: 'app=legacy' } });
    await ready(m, 5);
    await m.cluster.apply({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { maxUnavailable: '20%', selector: { matchLabels: { app: 'legacy' } } },
    });
    const status = await m.cluster.advanceUntil(
      async () => {
        const s = (await m!.cluster.podDisruptionBudgets().get('legacy')).status;
        return s?.observedGeneration === 1 ? s : undefined;
      },
      { maxMs: 30_000 },
    );
    expect(status).toMatchObject({ expectedPods: 5, desiredHealthy: 4, disruptionsAllowed: 1 });
  });

  it('refuses a selector that does not match the template, and no selector and no template labels', async () => {
    m = await startMockCluster({ nodes: 1 });
    const mismatch = await rejection(m.cluster.replicationControllers().create(rc(1, { app: 'other' })));
    expect(mismatch.reason).toBe('Invalid');
    expect(mismatch.causes).toEqual([expect.objectContaining({ field: 'spec.template.metadata.labels' })]);
    const bare = rc(1);
    bare.spec!.template!.metadata = {};
    const none = await rejection(m.cluster.replicationControllers().create(bare));
    expect(none.causes.map((c) => c.field)).toContain('spec.selector');
    expect(await m.cluster.replicationControllers().find('legacy')).toBeUndefined();
  });
});
