/**
 * autoscaling/v1 HorizontalPodAutoscalers, where a cluster serves them as a kind of their own:
 * the controller reconciles them through the v1 <-> v2 conversion (targetCPUUtilizationPercentage
 * in, currentCPUUtilizationPercentage out).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../../../src/model/types.js';
import type { ResourceType } from '../../../../src/model/resource-type.js';
import { horizontalPodAutoscalerController, type MetricsClient, type PodMetric } from '../../../../src/controllers/hpa/index.js';
import { deployment, isReady, podsWith, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

/** A v1 kind stored apart from v2 (the shape a registry may serve it in). */
const V1: ResourceType = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers-v1-test',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  nameFormat: 'dns1123-subdomain',
  hasStatus: true,
};

/** Every pod uses 400m of cpu, measured long after it became ready. */
const metrics: MetricsClient = {
  async resourceMetric(_r: string, _ns: string, pods: readonly Pod[]) {
    return new Map<string, PodMetric>(
      pods.map((p) => [p.metadata.name ?? '', { value: 400, timestampMs: Date.parse('2030-01-01T00:00:00Z'), windowMs: 0 }]),
    );
  },
  podsMetric: async () => new Map(),
  objectMetric: async () => 0,
  externalMetric: async () => [],
};

describe('autoscaling/v1 HorizontalPodAutoscaler', () => {
  it('scales on targetCPUUtilizationPercentage and reports currentCPUUtilizationPercentage', async () => {
    m = await startMockCluster({ nodes: 2, cluster: { controllers: {} } });
    const { cluster } = m;
    cluster.registry.add(V1);
    cluster.controllers.register(horizontalPodAutoscalerController({ metrics, version: 'v1' }));
    await cluster.apply(deployment('web', { replicas: 2, requests: { cpu: '500m' } }));
    await cluster.advanceUntil(async () => (await podsWith(cluster, 'default', { app: 'web' })).filter(isReady).length === 2, {
      maxMs: 60_000,
    });
    const hpas = cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    await hpas.create({
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      },
    });
    // 80% of request against 50%: ceil(1.6 x 2) = 4, bounded by maxReplicas 3.
    await cluster.advanceUntil(async () => (await cluster.deployments().get('web')).spec?.replicas === 3, { maxMs: 60_000 });
    const status = (await hpas.get('web')).status as Record<string, unknown>;
    expect(status).toMatchObject({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 80 });
    expect(status.conditions).toBeUndefined();
  });
});
