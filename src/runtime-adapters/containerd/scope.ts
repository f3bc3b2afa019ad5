import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { TugboatError } from '../../model/errors.js';
import { RuntimeInstance } from '../instance.js';
import { RUNTIME_LABELS } from '../types.js';
import { ContainerdClient, grpcCode, GRPC, SERVICES, type CallOptions } from './grpc-client.js';
import type { LogPump } from './log-pump.js';
import {
  DEFAULT_CONTAINERD_ADDRESS,
  DEFAULT_CONTAINERD_NAMESPACE,
  DEFAULT_CONTAINERD_SANDBOX_IMAGE,
  type ContainerdRuntimeOptions,
} from './types.js';

/** A containerd container as the adapter reads it (the fields it uses). */
export interface ContainerRecord {
  id: string;
  labels: Record<string, string>;
  image: string;
  spec?: { type_url: string; value: Buffer } | null;
  snapshot_key: string;
  created_at?: { seconds: number; nanos: number } | null;
}

/** A containerd task (process) as the adapter reads it. */
export interface TaskRecord {
  container_id: string;
  id: string;
  pid: number;
  status: 'UNKNOWN' | 'CREATED' | 'RUNNING' | 'STOPPED' | 'PAUSED' | 'PAUSING';
  exit_status: number;
  exited_at?: { seconds: number; nanos: number } | null;
  /** Its stdin FIFO ('' when it has none). */
  stdin?: string;
  /** Whether it runs on a terminal. */
  terminal?: boolean;
}

/** A protobuf Timestamp as a Date; undefined for none or the zero time. */
export function toDate(t: { seconds: number; nanos: number } | null | undefined): Date | undefined {
  if (!t || (t.seconds <= 0 && t.nanos === 0)) return undefined;
  return new Date(t.seconds * 1000 + Math.floor(t.nanos / 1e6));
}

/**
 * What every part of the containerd adapter shares: the client, the cluster and node it serves
 * (set by `bind()`), its instance, where it keeps files, and the log pumps it runs. Internal.
 */
export class ContainerdScope {
  readonly client: ContainerdClient;
  readonly address: string;
  readonly namespace: string;
  readonly sandboxImage: string;
  readonly snapshotter: string;
  readonly runtimeName: string;
  readonly stateDir: string;
  readonly binDirs: string[];
  readonly conflistPath: string;
  readonly insecureRegistries: string[];
  clusterName: string;
  nodeName: string;
  instance: RuntimeInstance;
  ownInstance = true;
  /** Labels of containers seen, by id (events carry none; a removed container's are still known). */
  readonly labelCache = new Map<string, Record<string, string>>();
  /** The log pumps this runtime runs, by container id. */
  readonly pumps = new Map<string, LogPump>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: ContainerdRuntimeOptions) {
    this.address = options.address ?? DEFAULT_CONTAINERD_ADDRESS;
    this.namespace = options.namespace ?? DEFAULT_CONTAINERD_NAMESPACE;
    this.client = new ContainerdClient(this.address, this.namespace);
    this.sandboxImage = options.sandboxImage ?? DEFAULT_CONTAINERD_SANDBOX_IMAGE;
    this.snapshotter = options.snapshotter ?? 'overlayfs';
    this.runtimeName = options.runtime ?? 'io.containerd.runc.v2';
    this.stateDir = options.stateDir ?? path.join(os.tmpdir(), 'tugboat-containerd');
    this.binDirs = options.cni?.binDirs ?? ['/usr/lib/cni', '/opt/cni/bin'];
    this.conflistPath = options.cni?.conflistPath ?? '/etc/tugboat/cni/tugboat.conflist';
    this.insecureRegistries = options.insecureRegistries ?? [];
    this.clusterName = options.clusterName ?? 'default';
    this.nodeName = options.nodeName ?? os.hostname();
    this.instance = RuntimeInstance.create(this.clusterName);
  }

  /** `<stateDir>/<namespace>`: the folder of this namespace's instances. */
  get namespaceDir(): string {
    return path.join(this.stateDir, safe(this.namespace));
  }

  /** The folder of one instance: `<stateDir>/<namespace>/<instance id>`. */
  instanceDir(instanceId: string = this.instance.id): string {
    return path.join(this.namespaceDir, safe(instanceId));
  }

  /** The folder of an object by its labels (its instance's folder, else this runtime's). */
  private ownerDir(labels: Record<string, string>): string {
    return this.instanceDir(labels[RUNTIME_LABELS.instance] ?? this.instance.id);
  }

  /** A pod's files (CNI result, hosts, ConfigMap/Secret files, emptyDirs on disk): `<instance>/pods/<sandbox id>`. */
  podDir(sandboxId: string, sandboxLabels: Record<string, string>): string {
    return path.join(this.ownerDir(sandboxLabels), 'pods', safe(sandboxId));
  }

  /** A pod's memory-backed emptyDirs: under /dev/shm (a tmpfs), `/dev/shm/tugboat-containerd/<namespace>/<instance>/<sandbox id>`. */
  podShmDir(sandboxId: string, sandboxLabels: Record<string, string>): string {
    return path.join(this.shmRoot, safe(this.namespace), safe(sandboxLabels[RUNTIME_LABELS.instance] ?? this.instance.id), safe(sandboxId));
  }

  /** The tmpfs root of memory-backed emptyDirs. */
  readonly shmRoot = '/dev/shm/tugboat-containerd';

  /** A container's FIFOs and CRI log file: `<instance>/containers/<id>`. */
  containerDir(id: string, labels: Record<string, string>): string {
    return path.join(this.ownerDir(labels), 'containers', safe(id));
  }

  /** Runs `task` unless one under the same key is under way, whose result is then shared. */
  once<T>(key: string, task: () => Promise<T>): Promise<T> {
    let p = this.inflight.get(key) as Promise<T> | undefined;
    if (!p) {
      p = task().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  /** One call, with a daemon that cannot be reached turned into the TugboatError naming the socket. */
  async call<T = Record<string, any>>(service: keyof typeof SERVICES, method: string, request: object, options?: CallOptions): Promise<T> {
    try {
      return await this.client.call<T>(SERVICES[service], method, request, options);
    } catch (err) {
      throw this.wrap(err);
    }
  }

  /** The error of a call: unreachable daemon -> ServiceUnavailable naming the socket; anything else as is. */
  wrap(err: unknown): unknown {
    if (grpcCode(err) === GRPC.UNAVAILABLE) {
      const why = (err as { details?: string }).details ?? String(err);
      return new TugboatError(
        'ServiceUnavailable',
        `cannot reach containerd at unix://${this.address} (${why}). Start containerd (Debian: apt-get install containerd; containerd &), ` +
          'or point tugboat at another socket: new ContainerdRuntime({ address })',
        { kind: 'ContainerdDaemon', name: this.address },
      );
    }
    return err;
  }

  /** A container's record; undefined when it does not exist. */
  async getContainer(id: string): Promise<ContainerRecord | undefined> {
    try {
      const { container } = await this.call<{ container: ContainerRecord }>('containers', 'Get', { id });
      this.labelCache.set(id, container.labels);
      return container;
    } catch (err) {
      if (grpcCode(err) === GRPC.NOT_FOUND) return undefined;
      throw err;
    }
  }

  /** A container's task (its init process); undefined when it has none. */
  async getTask(id: string): Promise<TaskRecord | undefined> {
    try {
      const { process } = await this.call<{ process: TaskRecord }>('tasks', 'Get', { container_id: id });
      return process;
    } catch (err) {
      if (grpcCode(err) === GRPC.NOT_FOUND) return undefined;
      throw err;
    }
  }

  /** Every container of a role (`sandbox` or `container`) in the namespace, with its task (if any). */
  async listRole(role: 'sandbox' | 'container'): Promise<Array<{ container: ContainerRecord; task?: TaskRecord }>> {
    const [{ containers }, { tasks }] = await Promise.all([
      this.call<{ containers: ContainerRecord[] }>('containers', 'List', { filters: [`labels."${RUNTIME_LABELS.role}"==${role}`] }),
      this.call<{ tasks: TaskRecord[] }>('tasks', 'List', {}),
    ]);
    // Tasks.List names each task by `id` (its container's id) and leaves container_id empty.
    const byId = new Map(tasks.map((t) => [t.container_id || t.id, t]));
    for (const c of containers) this.labelCache.set(c.id, c.labels);
    return containers.map((container) => ({ container, task: byId.get(container.id) }));
  }

  /**
   * Runs `task` under a short containerd lease, so that what it makes (an active snapshot before
   * the container that references it exists) is not garbage-collected half-way, as containerd's
   * own client does; the lease goes once `task` is done.
   */
  async withLease<T>(task: (lease: string) => Promise<T>): Promise<T> {
    const id = `tugboat-${randomBytes(6).toString('hex')}`;
    await this.call('leases', 'Create', { id, labels: { 'containerd.io/gc.expire': new Date(Date.now() + 3600_000).toISOString() } });
    try {
      return await task(id);
    } finally {
      await this.call('leases', 'Delete', { id }).catch(() => undefined);
    }
  }

  /** Replaces a container's labels with `labels` (containerd's field path `labels`). */
  async setLabels(id: string, labels: Record<string, string>): Promise<void> {
    await this.call('containers', 'Update', { container: { id, labels }, update_mask: { paths: ['labels'] } });
    this.labelCache.set(id, labels);
  }
}

/** A name safe as one path segment. */
export function safe(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]/g, '_');
}
