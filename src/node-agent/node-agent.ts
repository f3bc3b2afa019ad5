/**
 * NodeAgent: tugboat's kubelet. One per node: registers the Node, heartbeats through a Lease,
 * receives the pods bound to the node from the cluster's pod dispatcher, drives each through
 * a PodWorker on the ContainerRuntime, adopts what a previous agent left running and sweeps the
 * rest, and serves logs and exec.
 */
import PQueue from 'p-queue';
import type { ApiContext, ResourceClient } from '../client/types.js';
import type { Timer } from '../clock/types.js';
import { InformerFactory } from '../client/informer-factory.js';
import { kinds } from '../client/kinds.js';
import { fieldError, TugboatError } from '../model/errors.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service, VolumeAttachment } from '../model/types.js';
import { RUNTIME_LABELS, type ContainerStreams, type ExecResult, type LogLine } from '../runtime-adapters/types.js';
import { openAttach, openExec, type AttachOptions, type ExecStreamOptions } from './pod-streams.js';
import { claimableObjects, removeAll, RuntimeInventory } from './adoption.js';
import type { ConfigSource } from './config-error.js';
import { Heartbeat, registerNode } from './node-registration.js';
import { PodDispatcher } from './pod-source.js';
import { PodWorker } from './pod-worker.js';
import { RuntimeEventHub } from './runtime-events.js';
import type { NodeAgentOptions, NodeAgentStopOptions, PodLogOptions, PodSink, PodStats } from './types.js';
import type { WorkerEnv } from './worker-env.js';
import { TokenManager } from './token-manager.js';

/** How long stop() waits (real time) at most for the runtime calls under way before it cleans up. */
const STOP_DRAIN_MS = 30_000;

/** The address a node reports (status.hostIP of its pods). */
const DEFAULT_NODE_IP = '127.0.0.1';

/**
 * What a node agent shares with the other agents of its cluster, made by the composition root
 * (the node pool): the pod dispatcher over the cluster's Pod informer, and the event hub of the
 * agent's runtime.
 */
export interface NodeAgentDeps {
  /** Hands the agent the pods bound to its node. */
  pods: PodDispatcher;
  /** The one event subscription of the agent's runtime. */
  runtimeEvents: RuntimeEventHub;
}

/**
 * The node agent (kubelet) of one node. Construct it with the cluster's ApiContext, the node's
 * options and what it shares with the other agents ({@link NodeAgentDeps}; an agent given none
 * makes its own, with a Pod informer of its own), `start()` it, and `stop()` (or `kill()`, to
 * simulate a lost machine).
 */
export class NodeAgent {
  /** The node's name. */
  readonly name: string;
  private state: 'new' | 'running' | 'stopped' | 'killed' = 'new';
  private readonly workers = new Map<string, PodWorker>();
  /** Runtime calls under way through the node's limit (creates, starts, removals). */
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly queue: PQueue;
  private readonly images = new Set<string>();
  private readonly podClients = new Map<string, ResourceClient<Pod>>();
  private readonly env: WorkerEnv;
  private readonly sink: PodSink;
  private heartbeat?: Heartbeat;
  private unsubscribe?: () => void;
  private resyncTimer?: Timer;
  private inventory?: RuntimeInventory;
  private nodeUid?: string;
  private readonly deps: NodeAgentDeps;
  /** The informers of an agent given no deps (stopped with it). */
  private readonly ownInformers?: InformerFactory;

  constructor(
    private readonly ctx: ApiContext,
    private readonly options: NodeAgentOptions,
    deps?: NodeAgentDeps,
  ) {
    if (!options?.name) throw TugboatError.invalid({ kind: 'Node' }, '', [fieldError('name', 'Required value', 'FieldValueRequired')]);
    if (!options.runtime)
      throw TugboatError.invalid({ kind: 'Node' }, options.name, [fieldError('runtime', 'Required value', 'FieldValueRequired')]);
    if (!options.clusterName)
      throw TugboatError.invalid({ kind: 'Node' }, options.name, [fieldError('clusterName', 'Required value', 'FieldValueRequired')]);
    this.name = options.name;
    if (deps) this.deps = deps;
    else {
      this.ownInformers = new InformerFactory(ctx);
      this.deps = { pods: new PodDispatcher(this.ownInformers.informer(kinds.Pod)), runtimeEvents: new RuntimeEventHub(options.runtime) };
    }
    this.queue = new PQueue({ concurrency: options.runtimeConcurrency ?? 32 });
    const tokens = new TokenManager(ctx);
    const source: ConfigSource = {
      configMap: (ns, name) => ctx.client<ConfigMap>('v1', 'ConfigMap', ns).find(name),
      secret: (ns, name) => ctx.client<Secret>('v1', 'Secret', ns).find(name),
      claim: (ns, name) => ctx.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', ns).find(name),
      volume: (name) => ctx.client<PersistentVolume>('v1', 'PersistentVolume').find(name),
      attachment: (name) => ctx.client<VolumeAttachment>('storage.k8s.io/v1', 'VolumeAttachment').find(name),
      serviceAccountToken: (pod, projection) => tokens.token(pod, projection),
      services: async (ns) => {
        const [own, master] = await Promise.all([
          ctx.client<Service>('v1', 'Service', ns).list(),
          ns === 'default' ? undefined : ctx.client<Service>('v1', 'Service', 'default').find('kubernetes'),
        ]);
        return master ? [...own.items, master] : own.items;
      },
    };
    this.env = {
      ctx,
      runtime: options.runtime,
      // Once stopped, queued calls are refused rather than dropped, so no worker awaits forever.
      limit: (fn) =>
        this.queue.add(
          () =>
            this.state === 'running'
              ? this.track(fn())
              : Promise.reject(new TugboatError('ServiceUnavailable', `node agent ${options.name} is stopped`)),
          { throwOnTimeout: true },
        ),
      owner: {
        clusterName: options.clusterName,
        nodeName: options.name,
        hostIP: options.nodeIP ?? DEFAULT_NODE_IP,
        ...(options.instance ? { labels: options.instance.labels } : {}),
      },
      source,
      images: this.images,
      alive: () => this.state === 'running',
      pods: (ns) => {
        let c = this.podClients.get(ns);
        if (!c) this.podClients.set(ns, (c = ctx.client<Pod>('v1', 'Pod', ns)));
        return c;
      },
      record: (pod, type, reason, message) => void ctx.events.record(pod, type, reason, message, 'kubelet').catch(() => undefined),
      finished: (uid) => {
        this.workers.delete(uid);
        tokens.forget(uid);
      },
    };
    this.sink = { upsert: (pod) => this.onPod(pod), remove: (uid) => this.workers.get(uid)?.remove() };
  }

  /** Registers the Node, starts heartbeats, adopts or sweeps the runtime's containers and starts syncing pods. */
  async start(): Promise<void> {
    if (this.state !== 'new' && this.state !== 'stopped') throw TugboatError.badRequest(`node agent ${this.name} is ${this.state}`);
    const { runtime, clusterName, name, instance } = this.options;
    runtime.bind?.({ clock: this.ctx.clock, clusterName, nodeName: name, ...(instance ? { instance } : {}) });
    const node = await registerNode(this.ctx, this.options, this.options.nodeIP ?? DEFAULT_NODE_IP);
    this.nodeUid = node.metadata.uid;
    this.state = 'running';
    this.heartbeat = new Heartbeat(this.ctx, this.options, this.options.nodeIP ?? DEFAULT_NODE_IP, () => this.nodeUid);
    await this.heartbeat.start();
    this.inventory = await RuntimeInventory.take(runtime, clusterName, name, instance);
    this.unsubscribe = this.deps.runtimeEvents.subscribe(clusterName, name, (e) => {
      this.workers.get(e.labels[RUNTIME_LABELS.podUid] ?? '')?.requestSync();
    });
    await this.deps.pods.register(name, this.sink);
    const inventory = this.inventory;
    this.inventory = undefined;
    if (this.state === 'running') await inventory.sweep(runtime);
    this.scheduleResync();
  }

  /**
   * Stops the agent; with `removePods`, also stops and removes every container and sandbox of
   * its pods (of its own cluster instance), after the syncs under way have finished, so nothing
   * they were creating is left behind. A killed agent's pods are removed too.
   */
  async stop(options: NodeAgentStopOptions = {}): Promise<void> {
    if (this.state === 'running') this.shutdown('stopped');
    if (!options.removePods) return;
    // Runtime calls under way may still be creating a sandbox or a container: let them end
    // (later ones are refused), then remove what they made. Bounded in real time, as a safety net.
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_DRAIN_MS);
      timer.unref?.();
    });
    await Promise.race([Promise.allSettled([...this.inflight]), cap]);
    clearTimeout(timer);
    await this.removeOwnObjects();
  }

  /** Stops and removes every sandbox and container of this node that this agent's instance may claim. */
  private async removeOwnObjects(): Promise<void> {
    const { runtime, clusterName, name, instance } = this.options;
    try {
      const { containers, sandboxes } = await claimableObjects(runtime, clusterName, name, instance);
      await removeAll(runtime, containers, sandboxes);
    } catch {
      // The runtime cannot be reached (a lost node): nothing more can be done from here.
    }
  }

  /** The machine is lost: heartbeats and every loop stop at once; nothing more is written or asked of the runtime. */
  kill(): void {
    if (this.state === 'running' || this.state === 'new') this.shutdown('killed');
    this.state = 'killed';
  }

  /** True when no pod worker is syncing and no runtime call is queued or running. */
  isIdle(): boolean {
    if (this.queue.size > 0 || this.queue.pending > 0) return false;
    for (const w of this.workers.values()) if (w.syncing) return false;
    return true;
  }

  /** True while the agent runs. */
  get running(): boolean {
    return this.state === 'running';
  }

  /** The output of a container of a pod on this node (as `kubectl logs`). */
  async *logs(namespace: string, podName: string, options: PodLogOptions = {}): AsyncIterable<LogLine> {
    const rec = this.container(namespace, podName, options.container);
    const instance = options.previous ? rec.previous : rec.current;
    if (!instance) {
      if (options.previous) throw TugboatError.badRequest(`previous terminated container "${rec.spec.name}" in pod "${podName}" not found`);
      throw TugboatError.badRequest(
        `container "${rec.spec.name}" in pod "${podName}" is waiting to start: ${rec.waiting?.reason ?? 'ContainerCreating'}`,
      );
    }
    const { container: _c, previous: _p, ...rest } = options;
    yield* this.options.runtime.logs(instance.id, rest);
  }

  /** Runs a command in a running container of a pod on this node (as `kubectl exec`). */
  async exec(namespace: string, podName: string, container: string | undefined, command: string[]): Promise<ExecResult> {
    const rec = this.container(namespace, podName, container);
    if (rec.current?.state !== 'running') throw TugboatError.badRequest(`container ${rec.spec.name} is not running`);
    return this.options.runtime.exec(rec.current.id, command);
  }

  /** Runs a command in a running container of a pod on this node with its streams connected (kubectl exec -i/-t). */
  async execStream(namespace: string, podName: string, command: string[], options: ExecStreamOptions): Promise<ContainerStreams> {
    const rec = this.container(namespace, podName, options.container);
    if (rec.current?.state !== 'running') throw TugboatError.badRequest(`container ${rec.spec.name} is not running`);
    return openExec(this.options.runtime, rec.current.id, command, { stdin: options.stdin, tty: options.tty });
  }

  /** Connects to the main process of a running container of a pod on this node (kubectl attach). */
  async attach(namespace: string, podName: string, options: AttachOptions): Promise<ContainerStreams> {
    const rec = this.container(namespace, podName, options.container);
    if (rec.current?.state !== 'running') throw TugboatError.badRequest(`container ${rec.spec.name} is not running`);
    return openAttach(this.options.runtime, rec.current.id, { stdin: options.stdin, tty: options.tty });
  }

  /**
   * The resource usage of a pod's running app containers, from the runtime's stats (what the
   * kubelet's resource metrics endpoint serves metrics-server); undefined when none runs.
   */
  async podStats(namespace: string, podName: string): Promise<PodStats | undefined> {
    const worker = [...this.workers.values()].find((w) => w.pod.metadata.namespace === namespace && w.pod.metadata.name === podName);
    if (!worker) return undefined;
    const containers: PodStats['containers'] = [];
    let at: Date | undefined;
    for (const rec of worker.app) {
      if (rec.current?.state !== 'running') continue;
      try {
        const s = await this.options.runtime.stats(rec.current.id);
        containers.push({ name: rec.spec.name, cpuMillis: s.cpuMillis, memoryBytes: s.memoryBytes });
        at = s.at;
      } catch {
        // A container that just stopped has no stats: left out, as a missing sample.
      }
    }
    return at ? { containers, at } : undefined;
  }

  private container(namespace: string, podName: string, container: string | undefined) {
    const worker = [...this.workers.values()].find((w) => w.pod.metadata.namespace === namespace && w.pod.metadata.name === podName);
    if (!worker) throw TugboatError.notFound({ kind: 'pods' }, podName);
    const names = worker.app.map((r) => r.spec.name);
    if (!container && names.length !== 1) {
      throw TugboatError.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
    }
    const rec = worker.records.find((r) => r.spec.name === (container ?? names[0]));
    if (!rec) throw TugboatError.badRequest(`container ${container} is not valid for pod ${podName}`);
    return rec;
  }

  private onPod(pod: Pod): void {
    if (this.state !== 'running') return;
    const uid = pod.metadata.uid ?? '';
    const known = this.workers.get(uid);
    if (known) return known.update(pod);
    const worker = new PodWorker(this.env, pod);
    this.workers.set(uid, worker);
    const found = this.inventory?.claim(uid);
    if (found) {
      const extra = worker.adopt(found.sandbox, found.containers);
      if (extra.length || found.staleSandboxes.length) void removeAll(this.options.runtime, extra, found.staleSandboxes);
    }
    worker.requestSync();
    this.scheduleResync();
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.inflight.add(call);
    void call.finally(() => this.inflight.delete(call)).catch(() => undefined);
    return call;
  }

  /** Arms the periodic resync while the node has pods (an agent without pods sets no timer for it). */
  private scheduleResync(): void {
    if (this.state !== 'running' || this.resyncTimer || this.workers.size === 0) return;
    this.resyncTimer = this.ctx.clock.setTimeout(() => {
      this.resyncTimer = undefined;
      for (const w of this.workers.values()) w.requestSync();
      this.scheduleResync();
    }, this.options.resyncIntervalMs ?? 60_000);
  }

  private shutdown(to: 'stopped' | 'killed'): void {
    this.state = to;
    this.heartbeat?.stop();
    this.resyncTimer?.cancel();
    this.resyncTimer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.deps.pods.unregister(this.name, this.sink);
    void this.ownInformers?.stop();
    for (const w of this.workers.values()) w.halt();
    this.workers.clear();
  }
}
