/**
 * A whole cluster for a test in one line: mock nodes sharing one MockRuntime, on a FakeClock.
 * `await using m = await startMockCluster({ nodes: 3 })`, then drive it with
 * `m.cluster.advanceUntil(...)`.
 */
import { Cluster, type ClusterOptions } from '../cluster/cluster.js';
import type { NodeSpec } from '../cluster/node-pool.js';
import { FakeClock } from '../clock/fake-clock.js';
import type { core } from '../model/types.js';
import { MockRuntime } from '../runtime-adapters/mock/index.js';
import type { NodeResources } from '../node-agent/types.js';
import { advanceBy, type AdvanceByOptions } from './advance-by.js';
import { LocalCloudProvider } from '../cloud-providers/local/provider.js';

/** The well-known zone label (`topology.kubernetes.io/zone`). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The capacity numbered mock nodes get unless told otherwise. */
export const DEFAULT_NODE_CAPACITY: NodeResources = { cpu: '4', memory: '8Gi', pods: '110' };

/** One node of a mock cluster: its name and optionally zone, labels, taints and capacity. */
export interface MockNodeInput {
  name: string;
  /** Sets the {@link ZONE_LABEL} label. */
  zone?: string;
  labels?: Record<string, string>;
  taints?: core.Taint[];
  /** @default {@link DEFAULT_NODE_CAPACITY} */
  capacity?: NodeResources;
}

/** Options of {@link startMockCluster}. */
export interface MockClusterOptions {
  /** A number of nodes (node-a, node-b, ...) or the nodes themselves. @default 3 */
  nodes?: number | MockNodeInput[];
  /** Zones given round-robin to numbered nodes (node-a gets zones[0], ...). */
  zones?: string[];
  /** Capacity of numbered nodes. @default {@link DEFAULT_NODE_CAPACITY} */
  capacity?: NodeResources;
  /** Where the FakeClock starts. @default 2026-01-01T00:00:00Z */
  start?: Date | number;
  /** More Cluster options (the clock and the nodes are set here). */
  cluster?: Omit<ClusterOptions, 'clock' | 'nodes'>;
}

/** A started mock cluster, its FakeClock and its MockRuntime. `await using` stops it. */
export interface MockCluster extends AsyncDisposable {
  cluster: Cluster;
  clock: FakeClock;
  runtime: MockRuntime;
  /**
   * Moves the clock by `ms`, `stepMs` at a time (default 1000), letting the cluster settle after
   * each step and calling `onStep` then (for invariant checks at every step): {@link advanceBy}.
   */
  advance(ms: number, options?: AdvanceByOptions): Promise<void>;
  /**
   * Stops the cluster while moving the clock, so graceful container stops (a mock image's
   * `stopMs`) end. Idempotent.
   */
  stop(): Promise<void>;
}

/** The name of the i-th numbered node: node-a, node-b, ... */
export function mockNodeName(i: number): string {
  return `node-${String.fromCharCode(97 + i)}`;
}

/** The Cluster NodeSpec of a mock node input. */
export function mockNodeSpec(input: MockNodeInput, runtime: MockRuntime): NodeSpec {
  const labels = { ...(input.labels ?? {}), ...(input.zone ? { [ZONE_LABEL]: input.zone } : {}) };
  return { name: input.name, runtime, labels, taints: input.taints ?? [], capacity: input.capacity ?? DEFAULT_NODE_CAPACITY };
}

/**
 * Starts a Cluster of mock nodes sharing one MockRuntime on a new FakeClock, and lets it settle
 * (every node registered and Ready).
 *
 * @example
 * await using m = await startMockCluster({ nodes: 3 });
 * await m.cluster.apply(makeDeployment('web').replicas(3).obj());
 * await m.cluster.advanceUntil(async () => (await m.cluster.pods().list()).items.length === 3);
 */
export async function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const clock = new FakeClock(options.start ?? new Date('2026-01-01T00:00:00Z'));
  const runtime = new MockRuntime({ clock });
  const inputs: MockNodeInput[] =
    typeof options.nodes === 'object'
      ? options.nodes
      : Array.from({ length: options.nodes ?? 3 }, (_, i) => ({
          name: mockNodeName(i),
          zone: options.zones?.[i % options.zones.length],
          capacity: options.capacity,
        }));
  const cluster = await Cluster.start({
    cloudProvider: new LocalCloudProvider({ loadBalancers: false, volumes: { memory: true } }),
    ...(options.cluster ?? {}),
    clock,
    nodes: inputs.map((n) => mockNodeSpec(n, runtime)),
  });
  await cluster.settled();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopDriven(cluster, clock));
  const advance = (ms: number, advanceOptions?: AdvanceByOptions): Promise<void> => advanceBy(cluster, ms, advanceOptions);
  return { cluster, clock, runtime, advance, stop, [Symbol.asyncDispose]: stop };
}

/** Stops a cluster, moving the fake clock a second at a time (at most 10 minutes) until it has. */
async function stopDriven(cluster: Cluster, clock: FakeClock): Promise<void> {
  let done = false;
  const stopping = cluster.stop().finally(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    await new Promise<void>((r) => setImmediate(r));
    await new Promise<void>((r) => setImmediate(r));
    if (!done) await clock.advance(1000);
  }
  await stopping;
}
