import { rm } from 'node:fs/promises';
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
  PodNetwork,
  PullPolicy,
  ReclaimReport,
  RuntimeBinding,
  RuntimeEvent,
  SandboxConfig,
  SandboxStatus,
  StreamOptions,
} from '../types.js';
import * as containers from './containers.js';
import { clusterEvents } from './events.js';
import { execInContainer } from './exec.js';
import { attachContainer, execStream } from './streams.js';
import { ensureImage } from './images.js';
import { containerLogs } from './logs.js';
import { clusterPodNetwork, removeClusterNetworkIfUnused } from './network.js';
import { reclaimDaemon, removeIfEmpty } from './reclaim.js';
import * as sandboxes from './sandbox.js';
import { DockerScope } from './scope.js';
import { containerStats } from './stats.js';
import { createNamedVolume, removeNamedVolume } from './named-volumes.js';
import type { DockerRuntimeOptions } from './types.js';

/**
 * Runs pods on one Docker daemon. Each pod is a sandbox container (the pause image) holding the
 * network namespace, on a bridge network per cluster (`tugboat-<cluster>`); the pod's
 * containers join it, so they share localhost and the pod IP. Everything it makes carries the
 * RUNTIME_LABELS, so a restarted node agent finds its containers again.
 *
 * @example
 * const runtime = new DockerRuntime(); // DOCKER_HOST or the local socket
 * await cluster.addNode({ name: 'node-1', runtime });
 */
export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  private readonly scope: DockerScope;
  private readonly streams = new Set<AbortController>();

  /** @param options how to reach the daemon; by default as the `docker` CLI would (DOCKER_HOST, else the local socket). */
  constructor(options: DockerRuntimeOptions = {}) {
    this.scope = new DockerScope(options);
  }

  /** The cluster whose labels this runtime puts on and filters events by. */
  get clusterName(): string {
    return this.scope.clusterName;
  }

  /** The Docker network of this runtime's cluster. */
  get networkName(): string {
    return this.scope.networkName;
  }

  /** The running cluster's instance id this runtime labels its objects with. */
  get instanceId(): string {
    return this.scope.instance.id;
  }

  /** The bridge network of the bound cluster (made when missing): its gateway and bridge interface. */
  async podNetwork(): Promise<PodNetwork> {
    await this.scope.instance.acquire();
    return this.scope.reachable(clusterPodNetwork(this.scope));
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

  /**
   * Resolves when the daemon answers; otherwise throws a TugboatError (ServiceUnavailable)
   * naming the daemon address tried and how to point tugboat at another (DOCKER_HOST, options).
   */
  async ping(): Promise<void> {
    await this.scope.reachable(this.scope.docker.ping());
  }

  /**
   * Removes what clusters whose owner is gone left on this daemon and in `stateDir`:
   * sandboxes, containers, emptyDir volumes, networks and ConfigMap/Secret folders, whatever
   * their cluster or node name (a crashed process restarted under another name included).
   * "Gone" is decided from the owner each object carries (see the README): the owner's
   * process is gone from this machine, or it stopped its cluster, or this host rebooted since.
   * Objects of owners that cannot be checked from here (another machine sharing the daemon) are
   * kept unless `olderThanMs` is given and they are older. A Cluster calls it before its first
   * node on this runtime starts.
   *
   * @example await new DockerRuntime().reclaim(); // after a crash
   * @example await new DockerRuntime().reclaim({ olderThanMs: 24 * 3600_000 }); // also other machines' leftovers older than a day
   */
  async reclaim(options: ReclaimOptions = {}): Promise<ReclaimReport> {
    await this.ping();
    return reclaimDaemon(this.scope, options);
  }

  /**
   * Whether a Docker daemon answers at `options` within `timeoutMs`: use it to choose between
   * Docker and another runtime (e.g. ProcessRuntime) on a machine that may have no Docker.
   */
  static async available(options: DockerRuntimeOptions = {}, timeoutMs = 2000): Promise<boolean> {
    const probe = new DockerRuntime(options).ping().then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  ensureImage(ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo> {
    return ensureImage(this.scope, ref, policy, signal);
  }

  runSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    return sandboxes.runSandbox(this.scope, config);
  }

  stopSandbox(id: string): Promise<void> {
    return sandboxes.stopSandbox(this.scope, id);
  }

  removeSandbox(id: string): Promise<void> {
    return sandboxes.removeSandbox(this.scope, id);
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
    return containers.startContainer(this.scope, id);
  }

  stopContainer(id: string, graceMs: number): Promise<void> {
    return containers.stopContainer(this.scope, id, graceMs);
  }

  removeContainer(id: string): Promise<void> {
    return containers.removeContainer(this.scope, id);
  }

  listContainers(labels?: Record<string, string>): Promise<ContainerStatus[]> {
    return containers.listContainers(this.scope, labels);
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

  /** docker exec with stdin and a TTY as asked: the hijacked connection's streams. */
  execStream(id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
    return execStream(this.scope, id, command, options);
  }

  /** docker attach: the main process's output from now on, and its stdin when created with `stdin`. */
  attach(id: string, options: StreamOptions): Promise<ContainerStreams> {
    return attachContainer(this.scope, id, options);
  }

  /** Makes a Docker named volume with these labels (idempotent). */
  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    return this.scope.reachable(createNamedVolume(this.scope, name, labels));
  }

  /** Removes a Docker named volume that carries every given label (never another's). */
  removeVolume(name: string, labels: Record<string, string>): Promise<void> {
    return this.scope.reachable(removeNamedVolume(this.scope, name, labels));
  }

  /** Rewrites a files mount's folder on the daemon's host (bind-mounted, so the container sees the swap). */
  updateFiles(id: string, mount: FilesMount): Promise<void> {
    return this.scope.reachable(containers.updateFiles(this.scope, id, mount));
  }

  stats(id: string): Promise<ContainerStats> {
    return containerStats(this.scope, id);
  }

  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent> {
    const own = new AbortController();
    const onAbort = () => own.abort(signal?.reason);
    if (signal?.aborted) own.abort(signal.reason);
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.streams.add(own);
    const inner = clusterEvents(this.scope, own.signal);
    const streams = this.streams;
    return (async function* () {
      try {
        yield* inner;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        streams.delete(own);
      }
    })();
  }

  endpointFor(sandbox: SandboxStatus, port: number): { host: string; port: number } {
    return { host: sandbox.ip || this.scope.hostAddress, port };
  }

  /**
   * Ends the event streams this runtime opened; when no sandbox of its cluster instance is left,
   * removes the instance's network and state folder (and `stateDir` itself once empty), and
   * releases the runtime's own instance (not a cluster's, which the cluster releases). Running
   * containers are left alone.
   */
  async close(): Promise<void> {
    for (const c of this.streams) c.abort();
    this.streams.clear();
    if (await removeClusterNetworkIfUnused(this.scope).catch(() => false)) {
      await rm(this.scope.instanceDir(), { recursive: true, force: true });
      await removeIfEmpty(this.scope.stateDir);
      if (this.scope.ownInstance) await this.scope.instance.release();
    }
  }
}
