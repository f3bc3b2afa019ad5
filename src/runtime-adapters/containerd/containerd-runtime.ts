import { rm, rmdir } from 'node:fs/promises';
import { RUNTIME_LABELS } from '../types.js';
import type { ReclaimOptions } from '../instance.js';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ContainerStreams,
  ExecResult,
  FilesMount,
  ImageInfo,
  LogLine,
  LogOptions,
  PullPolicy,
  ReclaimReport,
  RuntimeBinding,
  RuntimeEvent,
  SandboxConfig,
  SandboxStatus,
  StreamOptions,
} from '../types.js';
import { attachContainer } from './attach.js';
import * as containers from './containers.js';
import { EventHub } from './events.js';
import { execInContainer } from './exec.js';
import { execStream } from './exec-stream.js';
import { openInThisProcess } from './fifo.js';
import { ensureImage } from './images.js';
import { LogPump, logPaths } from './log-pump.js';
import { containerLogs } from './logs.js';
import { reclaimNamespace } from './reclaim.js';
import * as sandboxes from './sandbox.js';
import { ContainerdScope } from './scope.js';
import { containerStats, type CgroupSample } from './stats.js';
import type { ContainerdRuntimeOptions } from './types.js';

/**
 * Runs pods on one containerd daemon (a node is one containerd host), over its gRPC API in its
 * own namespace (`tugboat` by default). Each pod is a pause task holding the pod's network, IPC
 * and UTS namespaces, on a CNI network (bridge + host-local: the pod IP is reachable from the
 * host); the pod's containers are tasks joined to those namespaces. Everything it makes carries
 * the RUNTIME_LABELS, so a restarted node agent finds its containers again.
 *
 * Needs the optional peer dependency `@grpc/grpc-js`.
 *
 * @example
 * const runtime = new ContainerdRuntime(); // /run/containerd/containerd.sock, namespace tugboat
 * await cluster.addNode({ name: 'node-1', runtime });
 */
export class ContainerdRuntime implements ContainerRuntime {
  readonly name = 'containerd';
  private readonly scope: ContainerdScope;
  private readonly hub: EventHub;
  private readonly samples = new Map<string, CgroupSample & { at: number }>();

  /** @param options the daemon's socket and namespace, the sandbox image, CNI and state paths. */
  constructor(options: ContainerdRuntimeOptions = {}) {
    this.scope = new ContainerdScope(options);
    this.hub = new EventHub(this.scope);
  }

  /** The containerd namespace of everything this runtime makes. */
  get namespace(): string {
    return this.scope.namespace;
  }

  /** The cluster whose labels this runtime puts on and filters events by. */
  get clusterName(): string {
    return this.scope.clusterName;
  }

  /** The running cluster's instance id this runtime labels its objects with. */
  get instanceId(): string {
    return this.scope.instance.id;
  }

  bind(binding: RuntimeBinding): void {
    this.scope.clusterName = binding.clusterName;
    this.scope.nodeName = binding.nodeName;
    if (binding.instance && binding.instance !== this.scope.instance) {
      if (this.scope.ownInstance) void this.scope.instance.release();
      this.scope.instance = binding.instance;
      this.scope.ownInstance = false;
    }
  }

  /** Resolves when the daemon answers; otherwise throws a TugboatError (ServiceUnavailable) naming the socket. */
  async ping(): Promise<void> {
    await this.scope.call('version', 'Version', {}, { timeoutMs: 5000 });
  }

  /** Whether a containerd daemon answers at `options.address` within `timeoutMs`. */
  static async available(options: ContainerdRuntimeOptions = {}, timeoutMs = 2000): Promise<boolean> {
    const runtime = new ContainerdRuntime(options);
    try {
      await runtime.scope.call('version', 'Version', {}, { timeoutMs });
      return true;
    } catch {
      return false;
    } finally {
      runtime.scope.client.close();
    }
  }

  /**
   * Removes what clusters whose owner is gone left in this namespace and in `stateDir`:
   * containers, sandboxes (with their pod networks), snapshots and folders, whatever their
   * cluster or node name. Objects of owners that cannot be checked from here are kept unless
   * `olderThanMs` is given and they are older.
   */
  async reclaim(options: ReclaimOptions = {}): Promise<ReclaimReport> {
    await this.ping();
    return reclaimNamespace(this.scope, options, { container: (id) => this.removeContainer(id), sandbox: (id) => this.removeSandbox(id) });
  }

  ensureImage(ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo> {
    return ensureImage(this.scope, ref, policy, signal);
  }

  runSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    this.hub.start();
    return sandboxes.runSandbox(this.scope, config);
  }

  stopSandbox(id: string): Promise<void> {
    return sandboxes.stopSandbox(this.scope, id);
  }

  removeSandbox(id: string): Promise<void> {
    return sandboxes.removeSandbox(this.scope, id, (c) => this.removeContainer(c));
  }

  listSandboxes(labels?: Record<string, string>): Promise<SandboxStatus[]> {
    return sandboxes.listSandboxes(this.scope, labels);
  }

  /** One sandbox's status; throws NotFound when it does not exist. */
  inspectSandbox(id: string): Promise<SandboxStatus> {
    return sandboxes.inspectSandbox(this.scope, id);
  }

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return containers.createContainer(this.scope, sandboxId, config);
  }

  startContainer(id: string): Promise<void> {
    this.hub.start();
    return containers.startContainer(this.scope, id);
  }

  stopContainer(id: string, graceMs: number): Promise<void> {
    return containers.stopContainer(this.scope, id, graceMs);
  }

  async removeContainer(id: string): Promise<void> {
    this.samples.delete(id);
    await containers.removeContainer(this.scope, id);
  }

  /** Containers of this runtime's own instance that run without a log pump here (adopted) get one. */
  async listContainers(labels?: Record<string, string>): Promise<ContainerStatus[]> {
    const list = await containers.listContainers(this.scope, labels);
    for (const c of list) if (c.state === 'running') this.adoptLogs(c);
    return list;
  }

  inspectContainer(id: string): Promise<ContainerStatus> {
    return containers.inspectContainer(this.scope, id);
  }

  logs(id: string, options?: LogOptions): AsyncIterable<LogLine> {
    return containerLogs(this.scope, id, options);
  }

  exec(id: string, command: string[], options?: { timeoutMs?: number }): Promise<ExecResult> {
    return execInContainer(this.scope, id, command, options);
  }

  /**
   * Runs a command in a running container with its streams as they come: a task exec process
   * with a stdin FIFO when `stdin` is asked, on a terminal (one output stream, resized with
   * ResizePty) when `tty` is; `close()` kills it.
   */
  execStream(id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
    return execStream(this.scope, id, command, options);
  }

  /**
   * Connects to a running container's main task: its output from now on (teed from its log
   * pump, so only where this runtime reads it), and its stdin FIFO when the container was created
   * with `stdin` (`stdinOnce`: closed when the first client closes its stdin).
   */
  attach(id: string, options: StreamOptions): Promise<ContainerStreams> {
    return attachContainer(this.scope, id, options);
  }

  /** Rewrites a files mount's folder in the pod folder (bind-mounted, so the container sees the swap). */
  updateFiles(id: string, mount: FilesMount): Promise<void> {
    return containers.updateFiles(this.scope, id, mount);
  }

  stats(id: string): Promise<ContainerStats> {
    return containerStats(this.scope, id, this.samples);
  }

  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent> {
    return this.hub.events(signal);
  }

  endpointFor(sandbox: SandboxStatus, port: number): { host: string; port: number } {
    return { host: sandbox.ip || '127.0.0.1', port };
  }

  /**
   * Starts reading the FIFOs of a running container of this runtime's own instance that no pump
   * of this runtime reads (a node agent adopting its containers after a restart): its output
   * goes on into its log file. Another instance's containers are never read, nor a FIFO this
   * process reads already (another runtime object of the same instance, e.g. another node's).
   */
  private adoptLogs(c: ContainerStatus): void {
    if (this.scope.pumps.has(c.id) || c.labels[RUNTIME_LABELS.instance] !== this.scope.instance.id) return;
    const paths = logPaths(this.scope.containerDir(c.id, c.labels));
    if (openInThisProcess(paths.stdout)) return; // another runtime object of this process reads it
    try {
      const pump = LogPump.adopt(paths);
      this.scope.pumps.set(c.id, pump);
      void pump.done.finally(() => {
        if (this.scope.pumps.get(c.id) === pump) this.scope.pumps.delete(c.id);
      });
    } catch {
      // no FIFOs (made by something else): nothing to read
    }
  }

  /**
   * Ends the event subscription and the log pumps, closes the connection; when no sandbox of
   * its instance is left, removes the instance's folders and releases the runtime's own
   * instance (not a cluster's). Running containers are left alone.
   */
  async close(): Promise<void> {
    this.hub.stop();
    for (const pump of this.scope.pumps.values()) pump.close();
    this.scope.pumps.clear();
    const mine = await this.scope
      .listRole('sandbox')
      .then((all) => all.filter((s) => s.container.labels[RUNTIME_LABELS.instance] === this.scope.instance.id).length)
      .catch(() => 1);
    if (mine === 0) {
      await rm(this.scope.instanceDir(), { recursive: true, force: true });
      await rmdir(this.scope.namespaceDir).catch(() => undefined);
      await rmdir(this.scope.stateDir).catch(() => undefined);
      if (this.scope.ownInstance) await this.scope.instance.release();
    }
    this.scope.client.close();
  }
}
