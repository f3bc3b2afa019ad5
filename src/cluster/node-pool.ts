import type { Pod, StatusCause } from '../model/types.js';
import { validateLabels, validateName } from '../model/names.js';
import { parseQuantity } from '../model/quantity.js';
import { invalid } from '../model/validation/field-errors.js';
import { TugboatError } from '../model/errors.js';
import { NodeAgent } from '../node-agent/node-agent.js';
import { PodDispatcher } from '../node-agent/pod-source.js';
import { RuntimeEventHub } from '../node-agent/runtime-events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { kinds } from '../client/kinds.js';
import type { NodeAgentOptions, PodLogOptions, PodStats } from '../node-agent/types.js';
import { RuntimeInstance } from '../runtime-adapters/instance.js';
import type { ContainerRuntime, ContainerStreams, ExecResult, LogLine } from '../runtime-adapters/types.js';
import type { AttachOptions, ExecStreamOptions } from '../node-agent/pod-streams.js';
import type { ApiContext } from '../client/types.js';
import { ALL_NAMESPACES } from '../client/types.js';

/** A node to add to a cluster: its name, runtime, capacity, labels and taints. */
export type NodeSpec = Omit<NodeAgentOptions, 'clusterName' | 'instance'>;

/**
 * Checks what becomes the Node object before any agent starts: the name (a DNS subdomain), the
 * labels, and every capacity and allocatable quantity. Invalid names each bad field.
 */
function checkNodeSpec(spec: NodeSpec): void {
  const causes: StatusCause[] = [];
  if (typeof spec.name !== 'string') causes.push(invalid('name', spec.name, 'must be a string'));
  else causes.push(...validateName(spec.name, 'dns1123-subdomain', 'metadata.name'));
  for (const field of ['capacity', 'allocatable'] as const) {
    const resources = (spec as unknown as Record<string, unknown>)[field];
    if (resources === undefined || resources === null) continue;
    if (typeof resources !== 'object' || Array.isArray(resources)) {
      causes.push(invalid(`status.${field}`, resources, 'must be a map of resource quantities'));
      continue;
    }
    for (const [name, value] of Object.entries(resources)) {
      if (value === undefined) continue;
      try {
        parseQuantity(value as string | number, `status.${field}[${name}]`);
      } catch (err) {
        if (!TugboatError.is(err)) throw err;
        causes.push(...err.causes);
      }
    }
  }
  if (spec.labels !== undefined) causes.push(...validateLabels(spec.labels, 'metadata.labels'));
  if (causes.length > 0) throw TugboatError.invalid({ kind: 'Node' }, typeof spec.name === 'string' ? spec.name : '', causes);
}

/** Options of a {@link NodePool}. */
export interface NodePoolOptions {
  /**
   * Reclaim, once per runtime before its first node starts, what gone owners left anywhere on it
   * (every cluster and node: `runtime.reclaim()`). A lone agent (`tugboat agent`) sets it false:
   * it sweeps only its own node's leftovers, as the kubelet collects only its own, and leaves a
   * killed agent's containers of another node for that agent to adopt. @default true
   */
  reclaimRuntimes?: boolean;
  /**
   * The runtime identity is kept where a restart finds it (a lone agent's Node): what a killed
   * pool made is then left for that restart by every other cluster's sweep (see
   * `InstanceOwner.resumable`). @default false
   */
  resumableIdentity?: boolean;
}

/**
 * The cluster's nodes: one NodeAgent per node, each over a container runtime (several nodes may
 * share one runtime). Adds, removes and kills nodes, and finds the agent holding a pod. It owns
 * what the agents share: one pod dispatcher over the cluster's Pod informer, and one runtime
 * event hub per runtime.
 */
export class NodePool {
  private readonly agents = new Map<string, NodeAgent>();
  /** The runtimes in use, each with its event hub. */
  private readonly runtimes = new Map<ContainerRuntime, RuntimeEventHub>();
  private readonly pods: PodDispatcher;
  private readonly reclaimed = new Map<ContainerRuntime, Promise<unknown>>();
  private current: RuntimeInstance;

  constructor(
    private readonly ctx: ApiContext,
    private readonly clusterName: string,
    informers: InformerFactory,
    private readonly options: NodePoolOptions = {},
  ) {
    this.pods = new PodDispatcher(informers.informer(kinds.Pod));
    this.current = RuntimeInstance.create(clusterName, { resumable: options.resumableIdentity });
  }

  /** This running cluster's identity on its runtimes (see runtime-adapters/instance.ts). */
  get instance(): RuntimeInstance {
    return this.current;
  }

  /**
   * Resumes the runtime identity `id` of an earlier run on the same store (before any node is
   * added), so the containers that run made are adopted rather than swept as a gone owner's.
   */
  resumeInstance(id: string): void {
    if (id === this.current.id) return;
    if (this.agents.size > 0) throw new Error('resumeInstance: nodes were added already');
    this.current = RuntimeInstance.create(this.clusterName, { id, resumable: this.options.resumableIdentity });
  }

  /** Starts a node agent, which registers the Node and begins running the pods bound to it. */
  async add(spec: NodeSpec): Promise<NodeAgent> {
    if (!spec?.name) throw TugboatError.invalid({ kind: 'Node' }, '', [{ field: 'name', message: 'Required value' }]);
    checkNodeSpec(spec);
    if (this.agents.has(spec.name)) throw TugboatError.alreadyExists({ kind: 'nodes' }, spec.name);
    let runtimeEvents = this.runtimes.get(spec.runtime);
    if (!runtimeEvents) this.runtimes.set(spec.runtime, (runtimeEvents = new RuntimeEventHub(spec.runtime)));
    const agent = new NodeAgent(
      this.ctx,
      { ...spec, clusterName: this.clusterName, instance: this.instance },
      { pods: this.pods, runtimeEvents },
    );
    this.agents.set(spec.name, agent);
    try {
      await this.instance.acquire();
      await this.sweep(spec.runtime);
      await agent.start();
    } catch (err) {
      this.agents.delete(spec.name);
      throw err;
    }
    return agent;
  }

  /**
   * Takes a node out: its agent stops and removes its containers, the Node object is deleted,
   * and the pods bound to it are deleted so their controllers replace them elsewhere.
   */
  async remove(name: string): Promise<void> {
    const agent = this.get(name);
    await agent.stop({ removePods: true });
    this.agents.delete(name);
    await this.ctx
      .client('v1', 'Node')
      .delete(name)
      .catch((err: unknown) => {
        if (!TugboatError.is(err, 'NotFound')) throw err;
      });
    const pods = await this.ctx.client<Pod>('v1', 'Pod', ALL_NAMESPACES).list({ fieldSelector: `spec.nodeName=${name}` });
    for (const pod of pods.items) {
      await this.ctx
        .client('v1', 'Pod', pod.metadata.namespace)
        .delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0 })
        .catch((err: unknown) => {
          if (!TugboatError.is(err, 'NotFound')) throw err;
        });
    }
  }

  /** The machine is lost: its agent stops heartbeating and touches nothing more. */
  kill(name: string): void {
    this.get(name).kill();
  }

  /** The agent of a node, or NotFound. */
  get(name: string): NodeAgent {
    const agent = this.agents.get(name);
    if (!agent) throw TugboatError.notFound({ kind: 'nodes' }, name);
    return agent;
  }

  /** Names of the nodes with an agent (running or killed). */
  names(): string[] {
    return [...this.agents.keys()];
  }

  /** True when every agent is idle (see NodeAgent.isIdle). */
  isIdle(): boolean {
    for (const a of this.agents.values()) if (!a.isIdle()) return false;
    return true;
  }

  /** A container's output, from the agent of the pod's node. */
  async *logs(namespace: string, podName: string, options: PodLogOptions = {}): AsyncIterable<LogLine> {
    yield* (await this.agentOf(namespace, podName)).logs(namespace, podName, options);
  }

  /** Runs a command in a pod's container. */
  async exec(namespace: string, podName: string, command: string[], container?: string): Promise<ExecResult> {
    return (await this.agentOf(namespace, podName)).exec(namespace, podName, container, command);
  }

  /** Runs a command in a pod's container with its streams connected (kubectl exec -i/-t). */
  async execStream(namespace: string, podName: string, command: string[], options: ExecStreamOptions): Promise<ContainerStreams> {
    return (await this.agentOf(namespace, podName)).execStream(namespace, podName, command, options);
  }

  /** Connects to the main process of a pod's container (kubectl attach). */
  async attach(namespace: string, podName: string, options: AttachOptions): Promise<ContainerStreams> {
    return (await this.agentOf(namespace, podName)).attach(namespace, podName, options);
  }

  /** A pod's resource usage, from the agent of the node it is bound to; undefined without one. */
  async podStats(pod: Pod): Promise<PodStats | undefined> {
    const agent = pod.spec?.nodeName ? this.agents.get(pod.spec.nodeName) : undefined;
    return agent?.podStats(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  }

  /**
   * Stops every agent it started, running or killed, removing their containers (after the work
   * under way finished), then closes the runtimes and releases the cluster's instance.
   */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.agents.values()].map((a) => a.stop({ removePods: true })));
    this.agents.clear();
    for (const hub of this.runtimes.values()) hub.close();
    await Promise.allSettled([...this.runtimes.keys()].map((r) => r.close?.()));
    this.runtimes.clear();
    await this.instance.release();
  }

  /** The start-up sweep, once per runtime: what clusters whose owner is gone left on it. */
  private sweep(runtime: ContainerRuntime): Promise<unknown> {
    if (this.options.reclaimRuntimes === false) return Promise.resolve();
    let p = this.reclaimed.get(runtime);
    if (!p) {
      p = runtime.reclaim?.() ?? Promise.resolve();
      this.reclaimed.set(runtime, p);
      p.catch(() => this.reclaimed.delete(runtime));
    }
    return p;
  }

  private async agentOf(namespace: string, podName: string): Promise<NodeAgent> {
    const pod = await this.ctx.client<Pod>('v1', 'Pod', namespace).get(podName);
    const node = pod.spec?.nodeName;
    if (!node) throw TugboatError.badRequest(`pod "${podName}" is not scheduled to a node yet`);
    return this.get(node);
  }
}
