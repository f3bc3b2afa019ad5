/**
 * autoscaling/v1 HorizontalPodAutoscalers, served beside v2 from one collection: the cluster's
 * (v2) controller reconciles them, and a v1 client reads the result through the conversion
 * (targetCPUUtilizationPercentage in; currentCPUUtilizationPercentage and the conditions
 * annotation out).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/model/types.js';
import { HPA_CONDITIONS_ANNOTATION } from '../../../../src/model/well-known.js';
import { deployment, isReady, podsWith, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

describe('autoscaling/v1 HorizontalPodAutoscaler', () => {
  it('scales on targetCPUUtilizationPercentage and reports currentCPUUtilizationPercentage', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster } = m;
    m.runtime.image('web:1', { usage: { cpuMillis: 400, memoryBytes: 64 * 2 ** 20 } });
    await cluster.apply(deployment('web', { replicas: 2, requests: { cpu: '500m' } }));
    await cluster.advanceUntil(async () => (await podsWith(cluster, 'default', { app: 'web' })).filter(isReady).length === 2, {
      maxMs: 60_000,
    });
    await m.advance(20_000); // past the metric window after readiness
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
    const read = await hpas.get('web');
    const status = read.status as Record<string, unknown>;
    expect(status).toMatchObject({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 80 });
    expect(status.conditions).toBeUndefined();
    const conditions = JSON.parse(read.metadata.annotations?.[HPA_CONDITIONS_ANNOTATION] ?? '[]') as { type: string }[];
    expect(conditions.map((c) => c.type).sort()).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
  });
});
