import { EventEmitter } from 'eventemitter3';
import type { KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import { RealClock } from '../clock/real-clock.js';
import type { ObjectStore } from '../store/types.js';
import { MemoryStore } from '../store/memory-store.js';
import { TugboatError } from '../model/errors.js';
import type { KindRegistry } from '../api/kind-registry.js';
import type { AdmissionChain } from '../api/admission.js';
import type { ObjectApi } from '../api/object-api.js';
import { InformerFactory } from '../client/informer-factory.js';
import { clientArgs, kinds, type KindRef } from '../client/kinds.js';
import type { Node, Scale } from '../model/types.js';
import { scaleObject, type ScaleTarget } from './scale.js';
import { ClusterMetricsClient } from './metrics-client.js';
import type { CustomMetricsProvider } from '../controllers/hpa/types.js';
import { drainNode, setUnschedulable, type DrainOptions, type DrainResult } from './drain.js';
import { applyManifests, type ApplyOptions, type ApplyResult } from '../api/apply.js';
import type { ManifestInput } from '../api/manifest.js';
import type { ApiContext, ResourceClient } from '../client/types.js';
import { TypedClients } from './typed-clients.js';
import { ControllerManager, type ControllerManagerOptions } from '../controllers/runtime/controller-manager.js';
import { LocalVolumes } from '../cloud-providers/local/local-volumes.js';
import { ensureStandardStorageClass } from './storage-class.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerOptions } from '../scheduler/scheduler.js';
import type { PodLogOptions } from '../node-agent/types.js';
import type { ContainerStreams, ExecResult, LogLine } from '../runtime-adapters/types.js';
import type { AttachOptions, ExecStreamOptions } from '../node-agent/pod-streams.js';
import { resumeRuntimeIdentity } from './cluster-identity.js';
import { NodePool, type NodeSpec } from './node-pool.js';
import { Rollout } from './rollout.js';
import { waitFor, type WaitForOptions } from './wait-for.js';
import { advanceUntil, settle, type AdvanceUntilOptions, type IdlePart, type SettleOptions } from './settle.js';
import { ApiServer, FIELD_MANAGERS, type ClusterEventLog } from './api-server.js';
import type { CloudProvider, VolumeProvider } from '../cloud-providers/types.js';
import { cloudControllers, type ClusterAutoscalerOptions } from './cloud-controllers.js';
import { registerControllers } from './parts/controllers.js';
import { serveApi } from './parts/api-server-part.js';
import { CONTROLLER_MANAGER_LEASE, ElectedParts, SCHEDULER_LEASE, type ClusterLeaderElection } from './leader-election.js';
import { NodePortProxy } from './node-ports.js';
import { PodNetworkServices } from './pod-network-services.js';
import { connectPodPort, startPortForward, type PortForward, type PortForwardOptions } from './port-forward.js';
import { IngressSync } from '../ingress-adapters/ingress-sync.js';
import type { IngressAdapter, IngressAddress } from '../ingress-adapters/types.js';
import type { ServeOptions, ServedApi, UserInfo } from '../server/types.js';
import { RbacAuthorizer, ensureDefaultRoles } from '../server/rbac/rbac-authorizer.js';
import { authorizedContext } from '../server/rbac/authorized-context.js';

export { SYSTEM_NAMESPACES, type ClusterEventLog } from './api-server.js';
export type { PortForward, PortForwardOptions } from './port-forward.js';

export { CONTROLLER_MANAGER_LEASE, SCHEDULER_LEASE } from './leader-election.js';

/** Options of {@link Cluster.start}. */
export interface ClusterOptions {
  /**
   * The cluster's name: labels what it runs in container runtimes, so two clusters on one Docker
   * daemon keep apart. @default 'tugboat'
   */
  name?: string;
  /** Where time comes from. @default a RealClock */
  clock?: Clock;
  /** Where objects live. @default a new MemoryStore */
  store?: ObjectStore;
  /** Record Events (`cluster.events`). Turn off for very large benchmarks. @default true */
  recordEvents?: boolean;
  /**
   * Called with every warning a write through `cluster.client(...)`, the typed shorthands or
   * `apply` raises (unknown or unimplemented fields), naming the object written. Writes of
   * components (controllers, scheduler, node agents) are not reported.
   */
  onWarning?: (warning: string, object: KubeObject) => void;
  /** Nodes to start with, each over a container runtime. More with `addNode`. */
  nodes?: NodeSpec[];
  /** Scheduler options, or `false` to run no scheduler (pods stay Pending unless you bind them). */
  scheduler?: SchedulerOptions | false;
  /**
   * Controller manager options, or `false` to run no built-in controller (ReplicaSet,
   * Deployment, node lifecycle). `cluster.controllers` still takes your own.
   */
  controllers?: (ControllerManagerOptions & { builtins?: boolean }) | false;
  /**
   * Answers the custom (Pods, Object) and external metrics HorizontalPodAutoscalers name (what
   * the custom.metrics.k8s.io and external.metrics.k8s.io APIs serve in Kubernetes). Resource
   * metrics (cpu, memory) come from the nodes' runtime stats.
   */
  customMetrics?: CustomMetricsProvider;
  /** The range Service cluster IPs are allocated from (IPv4). @default '10.96.0.0/12' */
  serviceCIDR?: string;
  /** The range Service node ports are allocated from. @default '30000-32767' */
  serviceNodePortRange?: string;
  /**
   * Where the nodes listen for NodePort Services (the address of this process's local nodes), or
   * `false` to open no node port. @default '127.0.0.1'
   */
  nodePortAddress?: string | false;
  /**
   * The cloud the cluster runs on: each part it offers (loadBalancers, nodeGroups) is driven by
   * its own controller. Without one, LoadBalancer Services stay pending, as in Kubernetes.
   * Its `volumes` part provisions PersistentVolumes; without one, local volumes (directories
   * under the system temp folder) do, with a default StorageClass `standard`.
   */
  cloudProvider?: CloudProvider;
  /**
   * The cluster autoscaler's tunables when the cloud provider has node groups (as
   * cluster-autoscaler's --scale-down-unneeded-time, --scale-down-utilization-threshold and
   * --scale-down-delay-after-add). @default 10 min, 0.5, 10 min
   */
  clusterAutoscaler?: ClusterAutoscalerOptions;
  /**
   * Ingress adapters, each serving the IngressClass of its `className` on its own listener
   * (e.g. `new ProxyIngress({ className: 'public' })`); each Ingress they serve gets its
   * status.loadBalancer from the adapter's address.
   */
  ingressAdapters?: IngressAdapter[];
  /**
   * Run the controller manager and the scheduler only while this Cluster holds their Leases
   * (`kube-system/tugboat-controller-manager`, `kube-system/tugboat-scheduler`), as
   * kube-controller-manager and kube-scheduler with `--leader-elect`: of several Clusters on one
   * store, one acts. `true` takes client-go's durations (15 s lease, 10 s renew deadline, 2 s
   * retry). A part that loses its Lease stops for good; `stop()` releases the Leases held.
   * @default false
   */
  leaderElection?: boolean | ClusterLeaderElection;
}

export type { ScalableKind, ScaleTarget } from './scale.js';
export type { DrainOptions, DrainResult } from './drain.js';
export type { ClusterAutoscalerOptions } from './cloud-controllers.js';
export type { ClusterLeaderElection } from './leader-election.js';

/** What `cluster.on(...)` reports. */
export interface ClusterEvents {
  /** A write raised a warning (unknown or unimplemented field). */
  warning: (warning: string, object: KubeObject) => void;
}

/**
 * A running tugboat cluster in this process: the API (clients, apply, admission), the store and
 * the control-plane components. Start one with {@link Cluster.start}; stop it with `stop()` or
 * `await using`.
 */
export class Cluster extends TypedClients {
  /** The cluster's name (see {@link ClusterOptions.name}). */
  readonly name: string;
  /** The clock every component of this cluster reads. */
  readonly clock: Clock;
  /** The store behind the API. */
  readonly store: ObjectStore;
  /** Every kind the API serves, built-in and from CRDs. */
  readonly registry: KindRegistry;
  /** The admission chain: `cluster.admission.use({ mutate?, validate? })`. */
  readonly admission: AdmissionChain;
  /** Events about objects, recorded as Event objects. */
  readonly events: ClusterEventLog;
  /** What components are handed: clients, clock and event recorder. */
  readonly context: ApiContext;
  /**
   * The cluster's shared informers, one per kind: the caches the controllers, the scheduler and
   * the node agents read (built once here and handed to each).
   */
  readonly informers: InformerFactory;
  /** The controller manager: `cluster.controllers.register(myController)` adds your own. */
  readonly controllers: ControllerManager;
  /** The scheduler, unless started with `scheduler: false`. */
  readonly scheduler: Scheduler | undefined;
  /** The nodes and their agents. @internal */
  readonly nodePool: NodePool;
  /** The host listeners of NodePort Services, unless started with `nodePortAddress: false`. @internal */
  readonly nodePorts: NodePortProxy | undefined;
  /** The cluster DNS servers and Service virtual IPs on the runtimes' pod networks (Docker). @internal */
  readonly podNetworks: PodNetworkServices;

  private readonly emitter = new EventEmitter<ClusterEvents>();
  private readonly api: ObjectApi;
  private readonly apiServer: ApiServer;
  private readonly ownsStore: boolean;
  private readonly builtins: boolean;
  private readonly controllersOn: boolean;
  private readonly initialNodes: NodeSpec[];
  private readonly customMetrics: CustomMetricsProvider | undefined;
  private readonly cloudProvider: CloudProvider | undefined;
  private readonly autoscalerOptions: ClusterAutoscalerOptions | undefined;
  /** The volumes part in use: the cloud provider's, else local volumes (directories under the system temp folder). */
  readonly volumes: VolumeProvider;
  private stopped = false;
  private readonly served = new Set<ServedApi>();
  private readonly ingress: IngressSync | undefined;
  /** With `leaderElection`: the controller manager's and scheduler's electors. */
  private readonly election: ElectedParts | undefined;

  private constructor(options: ClusterOptions) {
    super();
    this.name = options.name ?? 'tugboat';
    this.clock = options.clock ?? new RealClock();
    this.ownsStore = !options.store;
    this.store = options.store ?? new MemoryStore({ clock: this.clock });
    this.apiServer = new ApiServer({
      store: this.store,
      clock: this.clock,
      recordEvents: options.recordEvents,
      serviceCIDR: options.serviceCIDR,
      serviceNodePortRange: options.serviceNodePortRange,
      onWarning: (warning, obj) => {
        options.onWarning?.(warning, obj);
        this.emitter.emit('warning', warning, obj);
      },
    });
    this.registry = this.apiServer.registry;
    this.admission = this.apiServer.admission;
    this.api = this.apiServer.api;
    this.events = this.apiServer.events;
    this.context = this.apiServer.context;
    const managerOptions = options.controllers === false ? {} : (options.controllers ?? {});
    this.informers = new InformerFactory(this.context, { logger: managerOptions.logger });
    this.controllers = new ControllerManager(this.apiServer.contextFor(FIELD_MANAGERS.controllerManager), managerOptions, this.informers);
    this.builtins = options.controllers !== false && managerOptions.builtins !== false;
    this.controllersOn = options.controllers !== false;
    this.scheduler =
      options.scheduler === false
        ? undefined
        : new Scheduler(this.apiServer.contextFor(FIELD_MANAGERS.scheduler), options.scheduler ?? {}, this.informers);
    this.nodePool = new NodePool(this.apiServer.contextFor(FIELD_MANAGERS.agent), this.name, this.informers);
    this.podNetworks = new PodNetworkServices(this.context, this.informers, 'cluster.local', managerOptions.logger);
    this.initialNodes = options.nodes ?? [];
    this.nodePorts =
      options.nodePortAddress === false
        ? undefined
        : new NodePortProxy(this.context, this.informers, options.nodePortAddress ?? '127.0.0.1', managerOptions.logger);
    if (options.customMetrics !== undefined && typeof options.customMetrics !== 'function') {
      throw TugboatError.badRequest(
        'customMetrics: Invalid value: must be a function (query) => number | number[] | Record<string, number>',
      );
    }
    this.customMetrics = options.customMetrics;
    this.cloudProvider = options.cloudProvider;
    this.autoscalerOptions = options.clusterAutoscaler;
    if (options.leaderElection) {
      const scheduler = this.scheduler;
      this.election = new ElectedParts(
        this.context,
        options.leaderElection === true ? {} : options.leaderElection,
        [
          { lease: CONTROLLER_MANAGER_LEASE, start: () => this.controllers.start(), stop: () => this.controllers.stop() },
          ...(scheduler ? [{ lease: SCHEDULER_LEASE, start: () => scheduler.start(), stop: () => scheduler.stop() }] : []),
        ],
        managerOptions.logger,
      );
    }
    const adapters = options.ingressAdapters ?? [];
    this.ingress = adapters.length > 0 ? new IngressSync(this.context, this.informers, adapters, managerOptions.logger) : undefined;
    // On Docker (every initial node's runtime has named volumes), local volumes are Docker named volumes.
    const named = options.nodes?.length && options.nodes.every((n) => n.runtime.createVolume) ? options.nodes[0].runtime : undefined;
    this.volumes =
      options.cloudProvider?.volumes ??
      new LocalVolumes({
        root: join(tmpdir(), 'tugboat-volumes', this.name),
        ...(named ? { namedVolumes: { runtime: named, clusterName: this.name } } : {}),
      });
  }

  /**
   * Starts a cluster: an in-memory store and the real clock unless given, the system namespaces,
   * the garbage collector, the namespace controller, the built-in controllers, the scheduler and
   * an agent for each node given.
   */
  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const cluster = new Cluster(options);
    await cluster.boot();
    return cluster;
  }

  private async boot(): Promise<void> {
    await this.apiServer.boot();
    // The runtime identity of an earlier run on this store, resumed: its containers are adopted.
    this.nodePool.resumeInstance(await resumeRuntimeIdentity(this.context, this.name, this.nodePool.instance.id));
    registerControllers(this.controllers, {
      builtins: this.builtins,
      volumes: this.volumes,
      // The HPA controller reads metrics through the cluster's client over its node agents.
      metrics: new ClusterMetricsClient(this.nodePool, this.clock, this.customMetrics),
    });
    if (this.cloudProvider) {
      await this.cloudProvider.attach?.({
        clusterName: this.name,
        addNode: async (spec) => void (await this.nodePool.add(spec)),
        removeNode: (name) => this.nodePool.remove(name),
      });
      const deps = {
        drain: (node: string) => this.drain(node),
        ...(this.scheduler ? { registry: this.scheduler.registry } : {}),
        // Namespace labels for pod affinity namespaceSelectors in the autoscaler's simulation.
        namespaces: () =>
          new Map(
            this.informers
              .informer(kinds.Namespace)
              .list()
              .map((ns) => [ns.metadata.name ?? '', ns.metadata.labels]),
          ),
        ...(this.autoscalerOptions ? { autoscaler: this.autoscalerOptions } : {}),
      };
      if (this.controllersOn) for (const c of cloudControllers(this.cloudProvider, this.name, deps)) this.controllers.register(c);
    }
    await ensureStandardStorageClass(this.context, this.volumes);
    if (this.election) this.election.start();
    else {
      await this.controllers.start();
      await this.scheduler?.start();
    }
    await this.nodePorts?.start();
    for (const spec of this.initialNodes) {
      await this.nodePool.add(spec);
      await this.servePodNetwork(spec);
    }
    await this.ingress?.start();
  }

  /** Where the ingress adapter serving IngressClass `className` listens, once started. */
  ingressAddress(className: string): IngressAddress | undefined {
    return this.ingress?.addressOf(className);
  }

  /** Adds a node: its agent registers the Node and starts running the pods bound to it. */
  async addNode(spec: NodeSpec): Promise<void> {
    this.assertRunning();
    await this.nodePool.add(spec);
    await this.servePodNetwork(spec);
  }

  /** Starts the DNS server and Service IPs of a node's pod network, once per network. */
  private async servePodNetwork(spec: NodeSpec): Promise<void> {
    await this.podNetworks.attach(spec.runtime);
  }

  /** Removes a node: its containers are removed, its Node deleted, its pods replaced elsewhere. */
  async removeNode(name: string): Promise<void> {
    this.assertRunning();
    await this.nodePool.remove(name);
  }

  /**
   * The machine is lost: its agent stops heartbeating and its containers are left as they are.
   * The node lifecycle controller marks it NotReady and evicts its pods after their
   * tolerationSeconds.
   */
  async killNode(name: string): Promise<void> {
    this.assertRunning();
    this.nodePool.kill(name);
  }

  /** Marks a node unschedulable (as `kubectl cordon`): new pods go elsewhere, its pods stay. */
  async cordon(node: string): Promise<Node> {
    this.assertRunning();
    return setUnschedulable(this.apiServer.userContext, node, true);
  }

  /** Makes a cordoned node schedulable again (as `kubectl uncordon`). */
  async uncordon(node: string): Promise<Node> {
    this.assertRunning();
    return setUnschedulable(this.apiServer.userContext, node, false);
  }

  /**
   * Drains a node (as `kubectl drain --ignore-daemonsets --force`): cordons it, evicts every pod
   * on it but DaemonSet and mirror pods through the eviction API, retrying while a
   * PodDisruptionBudget forbids (every 5 s of the cluster's clock), and resolves once the
   * evicted pods are gone. With `timeoutMs` it fails Timeout naming the pods left and why.
   */
  async drain(node: string, options: DrainOptions = {}): Promise<DrainResult> {
    this.assertRunning();
    return drainNode(this.apiServer.userContext, this.clock, node, options);
  }

  /** `kubectl rollout` for a Deployment: status, history, undo, pause, resume, restart. */
  rollout(namespace: string, name: string): Rollout {
    return new Rollout(this.deployments(namespace), this.replicaSets(namespace), name, this.clock);
  }

  /**
   * Sets the replicas of an object through its kind's scale subresource (as `kubectl scale`):
   * Deployment, ReplicaSet, StatefulSet, ReplicationController, or a custom resource whose CRD
   * declares `subresources.scale` (by kind name, or `{ apiVersion, kind }`). Returns the new Scale.
   */
  async scale(namespace: string, kind: ScaleTarget, name: string, replicas: number): Promise<Scale> {
    this.assertRunning();
    await this.api.syncKinds();
    return scaleObject(this.apiServer.userContext, this.registry, namespace, kind, name, replicas);
  }

  /**
   * Resolves with the object once `predicate` holds (watching, not polling); fails Timeout after
   * `timeoutMs` of wall time.
   */
  async waitFor<T extends KubeObject>(
    client: ResourceClient<T>,
    name: string,
    predicate: (obj: T | undefined) => boolean,
    options?: WaitForOptions,
  ): Promise<T | undefined> {
    return waitFor(client, name, predicate, options);
  }

  /** A pod container's output (as `kubectl logs`); with `follow`, goes on until it stops. */
  logs(namespace: string, pod: string, options?: PodLogOptions): AsyncIterable<LogLine> {
    return this.nodePool.logs(namespace, pod, options);
  }

  /**
   * `kubectl port-forward`: listens on 127.0.0.1 (`localPort`, default any free port) and forwards
   * each connection to `remotePort` of a pod (`pod/NAME`) or to a Service port's Ready endpoints
   * (`svc/NAME`, round-robin per connection). On the mock runtime pods have no network: forwarded
   * connections are closed at once.
   */
  async portForward(namespace: string, target: string, remotePort: number, options?: PortForwardOptions): Promise<PortForward> {
    this.assertRunning();
    return startPortForward(
      { pods: this.pods(namespace), services: this.services(namespace), endpointSlices: this.endpointSlices(namespace) },
      target,
      remotePort,
      options,
    );
  }

  /** Runs a command in a pod's container (as `kubectl exec`). */
  exec(namespace: string, pod: string, command: string[], container?: string): Promise<ExecResult> {
    return this.nodePool.exec(namespace, pod, command, container);
  }

  /**
   * Runs a command in a pod's container with its streams connected as they come (as `kubectl
   * exec -i`/`-t`): write to `stdin`, read `stdout`/`stderr`, await `done` for the exit code.
   */
  execStream(namespace: string, pod: string, command: string[], options: ExecStreamOptions): Promise<ContainerStreams> {
    return this.nodePool.execStream(namespace, pod, command, options);
  }

  /** Connects to the main process of a pod's container (as `kubectl attach`): its output from now on, and its stdin. */
  attach(namespace: string, pod: string, options: AttachOptions): Promise<ContainerStreams> {
    return this.nodePool.attach(namespace, pod, options);
  }

  /**
   * A client for a kind named by a typed reference: `cluster.client(kinds.Deployment, 'web')` is
   * a `ResourceClient<Deployment>`. For namespaced kinds `namespace` defaults to 'default'; pass
   * `''` to list or watch across all namespaces.
   */
  client<T extends KubeObject>(ref: KindRef<T>, namespace?: string): ResourceClient<T>;
  /**
   * A client for any registered kind, e.g. `cluster.client('apps/v1', 'Deployment', 'web')` or a
   * CRD's `cluster.client('example.com/v1', 'Widget')`. For namespaced kinds `namespace` defaults
   * to 'default'; pass `''` to list or watch across all namespaces.
   */
  client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  client<T extends KubeObject>(refOrApiVersion: KindRef<T> | string, kindOrNamespace?: string, namespaceArg?: string): ResourceClient<T> {
    const { apiVersion, kind, namespace } = clientArgs(refOrApiVersion, kindOrNamespace, namespaceArg);
    return this.apiServer.client<T>(apiVersion, kind, namespace);
  }

  /**
   * Creates or updates every object of a manifest (multi-document YAML or JSON text, an object, or
   * a list), as `kubectl apply` does. Checks every object first, so a manifest with a bad document
   * changes nothing. Returns the stored objects, with the writes' warnings in `.warnings`.
   */
  async apply(manifest: ManifestInput, options: ApplyOptions = {}): Promise<ApplyResult> {
    this.assertRunning();
    return applyManifests(this.api, this.registry, manifest, { fieldManager: FIELD_MANAGERS.user, ...options });
  }

  /**
   * Serves the Kubernetes REST API over HTTPS (kubectl and the official clients work against it):
   * resolves with its URL, the admin token and a kubeconfig. Stopped with `close()` or with the
   * cluster. It also listens on the gateways of the pod networks of the nodes added so far
   * (unless `extraAddresses` is given), and publishes the `kubernetes` Service of `default` with
   * the advertised address as its endpoint, so pods call the API as in Kubernetes.
   */
  async serve(options: ServeOptions = {}): Promise<ServedApi> {
    this.assertRunning();
    // Containers reach the API on their network's gateway (and at the `kubernetes` Service's IP).
    const extraAddresses = options.extraAddresses ?? this.podNetworks.gateways();
    const served = await serveApi(
      this.apiServer,
      { ...options, extraAddresses },
      {
        logs: (ns, pod, o) => this.logs(ns, pod, o),
        exec: (ns, pod, { command, ...options }) => this.execStream(ns, pod, command, options),
        attach: (ns, pod, options) => this.attach(ns, pod, options),
        portForward: (ns, pod, port) => connectPodPort(this.pods(ns), pod, port),
      },
    );
    const handle: ServedApi = {
      ...served,
      close: async () => {
        this.served.delete(handle);
        await served.close();
      },
    };
    this.served.add(handle);
    return handle;
  }

  /**
   * The API as one user, authorized by RBAC as HTTP callers are: each call of the returned
   * context's clients is checked against the cluster's Roles and bindings (the default
   * ClusterRoles are created first) and a denied one fails Forbidden.
   */
  async as(user: string | UserInfo): Promise<ApiContext> {
    this.assertRunning();
    await ensureDefaultRoles(this.apiServer.userContext);
    const info: UserInfo = typeof user === 'string' ? { name: user, groups: ['system:authenticated'] } : user;
    return authorizedContext(this.apiServer.userContext, new RbacAuthorizer(this.apiServer.userContext), info);
  }

  /** Subscribes to cluster notifications (currently: warnings). Returns an unsubscribe function. */
  on<E extends keyof ClusterEvents>(event: E, listener: ClusterEvents[E]): () => void {
    this.emitter.on(event, listener as never);
    return () => this.emitter.off(event, listener as never);
  }

  /**
   * Resolves when the whole cluster is idle: no controller (the garbage collector and the
   * namespace controller among them) has queued or running work, the scheduler has no pod to
   * schedule and no bind in flight, no node agent is syncing a pod, and the store has taken no
   * write for a few event-loop turns. Work
   * that waits on the clock (back-offs, requeueAfter, probes) does not count: on a FakeClock,
   * move time (or use {@link advanceUntil}). Fails Timeout, naming the busy parts, after
   * `timeoutMs` of wall time.
   */
  async settled(options: SettleOptions = {}): Promise<void> {
    await settle({ clock: this.clock, store: this.store, parts: this.idleParts }, options);
  }

  /**
   * For clusters on a {@link FakeClock}: advances the clock by `stepMs` at a time, letting the
   * cluster settle after each step, until `predicate` (sync or async) returns a truthy value,
   * which it resolves with. A predicate that throws counts as not holding yet. Fails Timeout
   * after `maxMs` of fake time, saying how far it went and the last result or error; fails
   * BadRequest when the cluster's clock is not a FakeClock.
   *
   * @example
   * const pod = await cluster.advanceUntil(async () => (await cluster.pods().find('web'))?.status?.phase === 'Running');
   */
  async advanceUntil<T>(predicate: () => T | Promise<T>, options: AdvanceUntilOptions = {}): Promise<T> {
    return advanceUntil(this.clock, () => this.settled({ timeoutMs: options.settleTimeoutMs }), predicate, options);
  }

  private get idleParts(): IdlePart[] {
    // A reconcile may sit on the clock mid-call (a slow cloud provider: MockCloudProvider's latencyMs).
    const parts: IdlePart[] = [{ name: 'controllers', isIdle: () => this.controllers.isIdle(), mayWaitOnClock: true }];
    const scheduler = this.scheduler;
    if (scheduler) parts.push({ name: 'scheduler', isIdle: () => scheduler.isIdle() });
    parts.push({ name: 'node agents', isIdle: () => this.nodePool.isIdle(), mayWaitOnClock: true });
    const ingress = this.ingress;
    if (ingress) parts.push({ name: 'ingress adapters', isIdle: () => ingress.isIdle() });
    parts.push({ name: 'event recorder', isIdle: () => this.events.isIdle() });
    return parts;
  }

  /**
   * True while this Cluster's controller manager (or scheduler) acts: always without
   * `leaderElection` (when the part runs), else while this Cluster holds the part's Lease.
   */
  isLeading(part: 'controller-manager' | 'scheduler'): boolean {
    if (this.stopped || (part === 'scheduler' && !this.scheduler)) return false;
    return this.election ? this.election.isLeading(part === 'scheduler' ? SCHEDULER_LEASE : CONTROLLER_MANAGER_LEASE) : true;
  }

  /**
   * Stops every component; node agents stop and remove their containers (nothing is left in the
   * runtimes); the store is closed when the cluster made it. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of [...this.served]) await s.close();
    await this.ingress?.stop();
    await this.nodePorts?.stop();
    await this.election?.stop();
    await this.controllers.stop();
    await this.cloudProvider?.detach?.();
    await this.scheduler?.stop();
    await this.podNetworks.stop();
    await this.nodePool.stopAll();
    await this.informers.stop();
    await this.apiServer.stop();
    if (this.ownsStore) await this.store.close();
  }

  /** `await using cluster = await Cluster.start()` stops it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** The shorthands' client factory. */
  protected override clientFor<T extends KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T> {
    return this.client<T>(apiVersion, kind, namespace);
  }

  private assertRunning(): void {
    if (this.stopped) throw new TugboatError('ServiceUnavailable', 'the cluster has been stopped');
  }
}
