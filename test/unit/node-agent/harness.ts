/**
 * Test harness of the node agent: a Cluster on a FakeClock, a MockRuntime and one agent, added
 * through `cluster.addNode` so `cluster.settled()` (and the kit's advanceBy) waits for it.
 */
import { Cluster } from '../../../src/cluster/cluster.js';
import type { NodeSpec } from '../../../src/cluster/node-pool.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Pod, core } from '../../../src/model/types.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { NodeAgent } from '../../../src/node-agent/node-agent.js';
import type { ContainerConfig } from '../../../src/runtime-adapters/types.js';
import { advanceBy } from '../../../src/testing/advance-by.js';

/** A MockRuntime that remembers every ContainerConfig it was asked to create. */
export class RecordingRuntime extends MockRuntime {
  readonly configs: ContainerConfig[] = [];
  override async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    this.configs.push(config);
    return super.createContainer(sandboxId, config);
  }
}

export interface Harness {
  clock: FakeClock;
  cluster: Cluster;
  runtime: RecordingRuntime;
  agent: NodeAgent;
  pods: ReturnType<Cluster['client']>;
  /** Creates a pod bound to node-a. */
  run(name: string, spec: Partial<core.PodSpec> & { containers: core.Container[] }, meta?: Partial<Pod['metadata']>): Promise<Pod>;
  pod(name: string): Promise<Pod>;
  /** Advances the clock in steps of `step` ms (default 1 s) for `ms` ms, the cluster settling after each (the kit's advanceBy). */
  tick(ms: number, step?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<NodeSpec> = {}, runtime = new RecordingRuntime()): Promise<Harness> {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const cluster = await Cluster.start({ clock, name: 'test', scheduler: false });
  await cluster.addNode({ name: 'node-a', runtime, ...opts });
  const agent: NodeAgent = cluster.nodePool.get('node-a');
  const pods = cluster.client<Pod>('v1', 'Pod', 'default');
  const h: Harness = {
    clock,
    cluster,
    runtime,
    agent,
    pods,
    async run(name, spec, meta = {}) {
      const pod = await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, ...meta },
        spec: { nodeName: 'node-a', ...spec },
      } as Pod);
      await clock.advance(0);
      return pod as Pod;
    },
    async pod(name) {
      return (await pods.get(name)) as Pod;
    },
    async tick(ms, step = 1000) {
      await advanceBy(cluster, ms, { stepMs: step });
    },
    async close() {
      await agent.stop({ removePods: true });
      await cluster.stop();
    },
  };
  return h;
}

/** The state name of a container status: running, waiting or terminated. */
export function stateOf(s: core.ContainerStatus | undefined): string {
  if (!s?.state) return 'none';
  if (s.state.running) return 'running';
  if (s.state.waiting) return `waiting:${s.state.waiting.reason}`;
  return `terminated:${s.state.terminated?.reason}`;
}

/** The status of a pod condition. */
export function cond(pod: Pod, type: string): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === type)?.status;
}
