/**
 * Fixtures for end-to-end workload tests on the kit's mock cluster (tugboat/testing's
 * startMockCluster, re-exported here): reading pods and Deployments, a Deployment fixture, and
 * waiting (by moving fake time with cluster.advanceUntil) until a Deployment converged.
 */
import type { Cluster } from '../../src/cluster/cluster.js';
import type { Deployment, Pod, ReplicaSet, core } from '../../src/model/types.js';
import { makeDeployment, type MockCluster } from '../../src/testing.js';

export { startMockCluster, mockNodeSpec as nodeSpec, mockNodeName as nodeName, ZONE_LABEL } from '../../src/testing.js';
export type { MockCluster, MockClusterOptions, MockNodeInput } from '../../src/testing.js';

/** True when a pod has the Ready condition True. */
export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** True when a pod is being deleted or has finished (phase Succeeded or Failed). */
export function isTerminatingOrDone(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The first image of a pod's containers. */
export function imageOf(pod: Pod): string | undefined {
  return pod.spec?.containers?.[0]?.image;
}

/** The pods of a namespace whose labels include `labels`. */
export async function podsWith(cluster: Cluster, namespace: string, labels: Record<string, string>): Promise<Pod[]> {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return (await cluster.client<Pod>('v1', 'Pod', namespace).list({ labelSelector: selector })).items;
}

/** The ReplicaSets a Deployment owns. */
export async function replicaSetsOf(cluster: Cluster, namespace: string, deployment: string): Promise<ReplicaSet[]> {
  const d = await cluster.client<Deployment>('apps/v1', 'Deployment', namespace).get(deployment);
  const all = await cluster.client<ReplicaSet>('apps/v1', 'ReplicaSet', namespace).list();
  return all.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid && o.controller));
}

/** Options of {@link deployment}. */
export interface DeploymentFixture {
  replicas?: number;
  image?: string;
  namespace?: string;
  strategy?: NonNullable<Deployment['spec']>['strategy'];
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  /** Adds an httpGet readiness probe (period 1 s) so the image's readyAfterMs matters. @default true */
  readinessProbe?: boolean;
  /** Pod requests of the container, e.g. { cpu: '500m' }. */
  requests?: Record<string, string>;
  /** More pod spec fields (affinity, tolerations, nodeSelector, topologySpreadConstraints...). */
  podSpec?: Partial<core.PodSpec>;
}

/** A Deployment of one container named `app`, labelled app=<name> (the kit's makeDeployment). */
export function deployment(name: string, f: DeploymentFixture = {}): Deployment {
  const b = makeDeployment(name, f.namespace)
    .replicas(f.replicas ?? 1)
    .image(f.image ?? 'web:1');
  if (f.readinessProbe !== false) b.readinessProbe();
  if (f.requests) b.req(f.requests);
  if (f.podSpec) b.podSpec(f.podSpec);
  if (f.strategy) b.strategy(f.strategy);
  if (f.minReadySeconds !== undefined) b.minReadySeconds(f.minReadySeconds);
  if (f.progressDeadlineSeconds !== undefined) b.progressDeadlineSeconds(f.progressDeadlineSeconds);
  return b.obj();
}

/** Sets the image of a Deployment's `app` container (a strategic merge patch, as `kubectl set image`). */
export async function setImage(cluster: Cluster, namespace: string, name: string, image: string): Promise<Deployment> {
  return cluster
    .client<Deployment>('apps/v1', 'Deployment', namespace)
    .patch(name, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'strategic');
}

/**
 * Moves fake time (cluster.advanceUntil) until a Deployment's pods are exactly `replicas` ready
 * pods of `image` and nothing else; returns the fake time it took.
 */
export async function untilConverged(
  m: MockCluster,
  namespace: string,
  name: string,
  image: string,
  replicas: number,
  options: { maxMs?: number; onStep?: () => Promise<void> | void } = {},
): Promise<number> {
  const start = m.clock.nowMs();
  await m.cluster.advanceUntil(
    async () => {
      await options.onStep?.();
      const pods = await podsWith(m.cluster, namespace, { app: name });
      return pods.length === replicas && pods.every((p) => !isTerminatingOrDone(p) && isReady(p) && imageOf(p) === image);
    },
    { maxMs: options.maxMs ?? 300_000, what: `${namespace}/${name}: ${replicas} ready pods of ${image}` },
  );
  return m.clock.nowMs() - start;
}
