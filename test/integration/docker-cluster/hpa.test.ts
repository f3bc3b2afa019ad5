/**
 * The HorizontalPodAutoscaler on real Docker: cpu utilization comes from `docker stats` of the
 * pods' containers. A pod that spins (for at most 90 s) is far above a 50% target of its 50m
 * request: the Deployment scales from 1 to maxReplicas 2, and the HPA reports the utilization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Deployment, HorizontalPodAutoscaler } from '../../../src/model/types.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { eventually, removeLeftovers, rolledOut, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-hpa');

/** Spins for at most 90 s (bounded load), then sleeps; exits at once on SIGTERM. */
const SPIN = 'trap "exit 0" TERM; end=$(($(date +%s)+90)); while [ $(date +%s) -lt $end ]; do :; done; sleep 3600 & wait $!';

describe.skipIf(!docker)('HorizontalPodAutoscaler on Docker stats', { timeout: 150_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('scales a spinning Deployment up to maxReplicas and reports its cpu utilization', async () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'spin', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'spin' } },
        template: {
          metadata: { labels: { app: 'spin' } },
          spec: {
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: 'spin',
                image: TEST_IMAGE,
                imagePullPolicy: 'Never',
                command: ['sh', '-c', SPIN],
                resources: { requests: { cpu: '50m' }, limits: { cpu: '500m' } },
              },
            ],
          },
        },
      },
    };
    await cluster!.apply(d);
    await rolledOut(cluster!, 'spin');
    const hpa: HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'spin', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'spin' },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    };
    await cluster!.apply(hpa);
    await eventually(async () => (await cluster!.deployments().get('spin')).spec?.replicas === 2, 'scaled to 2', 90_000);
    const status = (await cluster!.horizontalPodAutoscalers().get('spin')).status;
    expect(status?.desiredReplicas).toBe(2);
    const utilization = status?.currentMetrics?.[0]?.resource?.current.averageUtilization ?? 0;
    expect(utilization).toBeGreaterThan(55);
    expect(status?.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
  });
});
