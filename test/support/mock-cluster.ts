/**
 * Fixtures for end-to-end workload tests: a whole Cluster of mock nodes on a FakeClock and one
 * shared MockRuntime, plus helpers to move time in steps and to read pods and Deployments.
 * No real I/O and no real sleeps: only event-loop turns to let promises settle.
 */
import { Cluster, type ClusterOptions } from '../../src/cluster/cluster.js';
import { FakeClock } from '../../src/clock/fake-clock.js';
import type { Deployment, Pod, ReplicaSet, core } from '../../src/model/types.js';
import { MockRuntime } from '../../src/runtime-adapters/mock/index.js';
import type { NodeResources } from '../../src/node-agent/types.js';

/** The well-known zone label. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** One node of a mock cluster: name, and optionally zone, labels, taints and capacity. */
export interface MockNodeInput {
  name: string;
  zone?: string;
  labels?: Record<string, string>;
  taints?: core.Taint[];
  capacity?: NodeResources;
}

/** Options of {@link startMockCluster}. */
export interface MockClusterOptions {
  /** A number of nodes (node-a, node-b, ...) or the nodes themselves. @default 3 */
  nodes?: number | MockNodeInput[];
  /** Zones given round-robin to numbered nodes (node-a gets zones[0], ...). */
  zones?: string[];
  /** Capacity of numbered nodes. @default { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity?: NodeResources;
  /** More Cluster options (clock, nodes and runtime are set here). */
  cluster?: Omit<ClusterOptions, 'clock' | 'nodes'>;
}

/** A started mock cluster with its clock and runtime. */
export interface MockCluster {
  cluster: Cluster;
  clock: FakeClock;
  runtime: MockRuntime;
  /** Stops the cluster (idempotent). */
  stop(): Promise<void>;
}

/** The name of the i-th numbered node: node-a, node-b, ... */
export function nodeName(i: number): string {
  return `node-${String.fromCharCode(97 + i)}`;
}

/** The Cluster NodeSpec of a mock node input. */
export function nodeSpec(input: MockNodeInput, runtime: MockRuntime) {
  const labels = { ...(input.labels ?? {}), ...(input.zone ? { [ZONE_LABEL]: input.zone } : {}) };
  return { name: input.name, runtime, labels, taints: input.taints ?? [], capacity: input.capacity ?? { cpu: '4', memory: '8Gi', pods: '110' } };
}

/** Starts a Cluster of mock nodes sharing one MockRuntime on a new FakeClock. */
export async function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const runtime = new MockRuntime({ clock });
  const inputs: MockNodeInput[] =
    typeof options.nodes === 'object'
      ? options.nodes
      : Array.from({ length: options.nodes ?? 3 }, (_, i) => ({
          name: nodeName(i),
          zone: options.zones?.[i % options.zones.length],
          capacity: options.capacity,
        }));
  const cluster = await Cluster.start({ ...(options.cluster ?? {}), clock, nodes: inputs.map((n) => nodeSpec(n, runtime)) });
  await flush();
  return { cluster, clock, runtime, stop: () => stopDriven(cluster, clock) };
}

/**
 * Stops a cluster while moving the fake clock: node agents stop containers gracefully, and a mock
 * image with `stopMs` only exits when its clock moves.
 */
async function stopDriven(cluster: Cluster, clock: FakeClock): Promise<void> {
  let done = false;
  const stopping = cluster.stop().finally(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    await flush(2);
    if (!done) await clock.advance(1000);
  }
  await stopping;
}

/** Lets pending promise and I/O callbacks run for `turns` event-loop turns. */
export async function flush(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Advances the FakeClock by `ms` in steps of `step` ms, letting work settle after each step,
 * and calls `onStep` after each one (for invariant checks).
 */
export async function settle(clock: FakeClock, ms: number, step = 1000, onStep?: () => Promise<void> | void): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await clock.advance(Math.min(step, ms - t));
    await flush();
    await onStep?.();
  }
}

/**
 * Advances the clock in steps until `predicate` holds; throws with `what` when it does not within
 * `maxMs` of fake time.
 */
export async function until(
  clock: FakeClock,
  predicate: () => Promise<boolean> | boolean,
  options: { maxMs?: number; step?: number; what?: string; onStep?: () => Promise<void> | void } = {},
): Promise<number> {
  const max = options.maxMs ?? 120_000;
  const step = options.step ?? 1000;
  const start = clock.nowMs();
  await flush();
  for (;;) {
    if (await predicate()) return clock.nowMs() - start;
    if (clock.nowMs() - start >= max) throw new Error(`not reached within ${max} ms of fake time: ${options.what ?? 'condition'}`);
    await clock.advance(step);
    await flush();
    await options.onStep?.();
  }
}

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

/** A Deployment of one container named `app`, labelled app=<name>. */
export function deployment(name: string, f: DeploymentFixture = {}): Deployment {
  const container: core.Container = { name: 'app', image: f.image ?? 'web:1' };
  if (f.readinessProbe !== false) container.readinessProbe = { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 };
  if (f.requests) container.resources = { requests: f.requests };
  const spec: NonNullable<Deployment['spec']> = {
    replicas: f.replicas ?? 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [container], ...(f.podSpec ?? {}) } },
  };
  if (f.strategy) spec.strategy = f.strategy;
  if (f.minReadySeconds !== undefined) spec.minReadySeconds = f.minReadySeconds;
  if (f.progressDeadlineSeconds !== undefined) spec.progressDeadlineSeconds = f.progressDeadlineSeconds;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: f.namespace ?? 'default' }, spec };
}

/** Sets the image of a Deployment's `app` container (a strategic merge patch, as `kubectl set image`). */
export async function setImage(cluster: Cluster, namespace: string, name: string, image: string): Promise<Deployment> {
  return cluster
    .client<Deployment>('apps/v1', 'Deployment', namespace)
    .patch(name, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'strategic');
}

/** Waits (moving fake time) until a Deployment's pods are exactly `replicas` ready pods of `image` and nothing else. */
export async function untilConverged(
  m: MockCluster,
  namespace: string,
  name: string,
  image: string,
  replicas: number,
  options: { maxMs?: number; onStep?: () => Promise<void> | void } = {},
): Promise<number> {
  return until(
    m.clock,
    async () => {
      const pods = await podsWith(m.cluster, namespace, { app: name });
      return pods.length === replicas && pods.every((p) => !isTerminatingOrDone(p) && isReady(p) && imageOf(p) === image);
    },
    { maxMs: options.maxMs ?? 300_000, what: `${namespace}/${name}: ${replicas} ready pods of ${image}`, onStep: options.onStep },
  );
}
