/**
 * The HorizontalPodAutoscaler on a mock cluster: cpu utilization from the runtime's stats scales
 * a Deployment up (bounded by the rate and maxReplicas), holds within the tolerance, scales down
 * only after the 5-minute stabilization window, follows behavior policies, custom Pods metrics
 * from the provider given to Cluster.start, memory, and a missing target; conditions as Kubernetes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler } from '../../../../src/model/types.js';
import type { CustomMetricsProvider } from '../../../../src/controllers/hpa/index.js';
import { deployment, isReady, podsWith, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

type Spec = NonNullable<HorizontalPodAutoscaler['spec']>;

function hpa(spec: Partial<Spec>): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  };
}

async function start(replicas: number, cpuMillis: number, customMetrics?: CustomMetricsProvider): Promise<MockCluster> {
  m = await startMockCluster({ nodes: 3, cluster: customMetrics ? { customMetrics } : {} });
  m.runtime.image('web:1', { usage: { cpuMillis, memoryBytes: 64 * 2 ** 20 } });
  await m.cluster.apply(deployment('web', { replicas, requests: { cpu: '500m', memory: '128Mi' } }));
  await m.cluster.advanceUntil(async () => (await podsWith(m!.cluster, 'default', { app: 'web' })).filter(isReady).length === replicas, {
    maxMs: 60_000,
  });
  await m.advance(20_000); // past the metric window after readiness
  return m;
}

async function setUsage(m: MockCluster, cpuMillis: number): Promise<void> {
  for (const p of await podsWith(m.cluster, 'default', { app: 'web' })) {
    m.runtime.setUsage({ namespace: 'default', pod: p.metadata.name! }, { cpuMillis, memoryBytes: 64 * 2 ** 20 });
  }
}

const replicasOf = async (m: MockCluster) => (await m.cluster.deployments().get('web')).spec?.replicas;
const condition = async (m: MockCluster, type: string) =>
  (await m.cluster.horizontalPodAutoscalers().get('web')).status?.conditions?.find((c) => c.type === type);

describe('HorizontalPodAutoscaler', () => {
  it('scales up on cpu utilization, reports it, and scales down only after the stabilization window', async () => {
    const m = await start(2, 450); // 90% of 500m
    await m.cluster.apply(hpa({}));
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 4, { maxMs: 60_000 });
    const status = (await m.cluster.horizontalPodAutoscalers().get('web')).status;
    expect(status?.desiredReplicas).toBe(4);
    expect(status?.currentMetrics?.[0]).toEqual({
      type: 'Resource',
      resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } },
    });
    expect(status?.lastScaleTime).toBeDefined();
    expect(await condition(m, 'AbleToScale')).toMatchObject({ status: 'True' });
    expect(await condition(m, 'ScalingActive')).toMatchObject({
      status: 'True',
      reason: 'ValidMetricFound',
      message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    });
    const events = await m.cluster.events.list('default');
    expect(
      events.some(
        (e) =>
          e.reason === 'SuccessfulRescale' &&
          e.message === 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
      ),
    ).toBe(true);

    // Load drops to 10%: the 5-minute window holds the highest recent recommendation.
    await m.cluster.advanceUntil(async () => (await podsWith(m.cluster, 'default', { app: 'web' })).filter(isReady).length === 4, {
      maxMs: 60_000,
    });
    await setUsage(m, 50);
    const dropAt = m.clock.nowMs();
    await m.advance(120_000);
    expect(await replicasOf(m)).toBe(4);
    expect(await condition(m, 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized' });
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 1, { maxMs: 400_000 });
    expect(m.clock.nowMs() - dropAt).toBeGreaterThanOrEqual(240_000);
  });

  it('holds within the tolerance (52% against 50%)', async () => {
    const m = await start(2, 260);
    await m.cluster.apply(hpa({}));
    await m.cluster.advanceUntil(async () => (await m.cluster.horizontalPodAutoscalers().get('web')).status?.currentMetrics !== undefined, {
      maxMs: 60_000,
    });
    await m.advance(60_000);
    expect(await replicasOf(m)).toBe(2);
    expect((await m.cluster.horizontalPodAutoscalers().get('web')).status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBe(
      52,
    );
  });

  it('maxReplicas limits (ScalingLimited TooManyReplicas); below minReplicas it scales up at once', async () => {
    const m = await start(1, 500);
    await m.cluster.apply(
      hpa({
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 10 } } }],
      }),
    );
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 2, { maxMs: 30_000 });
    const events = await m.cluster.events.list('default');
    expect(events.some((e) => e.message === 'New size: 2; reason: Current number of replicas below Spec.MinReplicas')).toBe(true);
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 3, { maxMs: 120_000 });
    await m.cluster.advanceUntil(async () => (await condition(m, 'ScalingLimited'))?.reason === 'TooManyReplicas', { maxMs: 120_000 });
    expect(await condition(m, 'ScalingLimited')).toMatchObject({
      status: 'True',
      message: 'the desired replica count is more than the maximum replica count',
    });
    expect(await replicasOf(m)).toBe(3);
  });

  it('behavior: a scale-up policy of 1 pod per minute (ScaleUpLimit)', async () => {
    const m = await start(2, 500); // 100% of request vs 25%: wants 8
    await m.cluster.apply(
      hpa({
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 25 } } }],
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      }),
    );
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 3, { maxMs: 60_000 });
    const at3 = m.clock.nowMs();
    expect(await condition(m, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 4, { maxMs: 120_000 });
    expect(m.clock.nowMs() - at3).toBeGreaterThanOrEqual(60_000);
  });

  it('a Pods metric from the customMetrics provider; a missing metric is ScalingActive False', async () => {
    let perPod = 30;
    const m = await start(2, 0, (q) => {
      if (q.type !== 'Pods' || q.metric.name !== 'requests_per_second') return undefined;
      return Object.fromEntries(q.pods.map((p) => [p.metadata.name!, perPod]));
    });
    await m.cluster.apply(
      hpa({
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      }),
    );
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 4, { maxMs: 60_000 }); // the x2 rate limit first
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 8, { maxMs: 120_000 }); // 4 pods x 30 / 10 = 12, rate-limited to 8
    expect((await m.cluster.horizontalPodAutoscalers().get('web')).status?.currentMetrics?.[0]).toMatchObject({
      type: 'Pods',
      pods: { current: { averageValue: '30' } },
    });
    perPod = 10;
    await m.cluster.horizontalPodAutoscalers().patch('web', {
      spec: { metrics: [{ type: 'Pods', pods: { metric: { name: 'nope' }, target: { type: 'AverageValue', averageValue: '10' } } }] },
    });
    await m.cluster.advanceUntil(async () => (await condition(m, 'ScalingActive'))?.status === 'False', { maxMs: 60_000 });
    expect(await condition(m, 'ScalingActive')).toMatchObject({ reason: 'FailedGetPodsMetric' });
  });

  it('memory utilization (64Mi of 128Mi against 25%)', async () => {
    const m = await start(2, 0);
    await m.cluster.apply(
      hpa({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 25 } } }] }),
    );
    await m.cluster.advanceUntil(async () => (await replicasOf(m)) === 4, { maxMs: 60_000 });
    expect((await m.cluster.horizontalPodAutoscalers().get('web')).status?.currentMetrics?.[0]).toEqual({
      type: 'Resource',
      resource: { name: 'memory', current: { averageUtilization: 50, averageValue: String(64 * 2 ** 20) } },
    });
  });

  it('a missing target: AbleToScale False FailedGetScale', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost' } }));
    await m.cluster.advanceUntil(async () => (await condition(m!, 'AbleToScale'))?.reason === 'FailedGetScale', { maxMs: 30_000 });
    expect((await condition(m, 'AbleToScale'))?.message).toBe(
      'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found',
    );
  });
});
