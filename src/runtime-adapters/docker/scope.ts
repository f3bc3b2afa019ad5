import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { RuntimeInstance } from '../instance.js';
import { RUNTIME_LABELS } from '../types.js';
import { connect, daemonAddress, describeDaemon } from './connection.js';
import { isUnreachable, unreachableError } from './errors.js';
import { DEFAULT_SANDBOX_IMAGE, type DockerRuntimeOptions } from './types.js';

/**
 * What every part of the Docker adapter shares: the client, the cluster and node it serves
 * (set by `bind()`), and where it keeps files. Internal: never exported from the package.
 */
export class DockerScope {
  readonly docker: Docker;
  readonly stateDir: string;
  readonly sandboxImage: string;
  readonly busyboxPath: string;
  /** Where this process reaches ports published on the daemon's host. */
  readonly hostAddress: string;
  clusterName: string;
  nodeName: string;
  /** The running cluster this runtime serves (bind() gives the cluster's); its own until then. */
  instance: RuntimeInstance;
  /** True while `instance` is the runtime's own (not a cluster's): close() releases it. */
  ownInstance = true;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly kept = new Map<string, Promise<unknown>>();
  /**
   * The labels of the sandboxes this runtime made, by id (a container's labels never
   * change), so a container is created in its sandbox without inspecting it; dropped on removal.
   */
  readonly sandboxLabels = new Map<string, Record<string, string>>();

  constructor(readonly options: DockerRuntimeOptions) {
    this.docker = connect(options);
    this.stateDir = options.stateDir ?? path.join(os.tmpdir(), 'tugboat-docker');
    this.sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.busyboxPath = options.busyboxPath ?? '/bin/busybox';
    this.hostAddress = daemonAddress(options);
    this.clusterName = options.clusterName ?? 'default';
    this.nodeName = options.nodeName ?? os.hostname();
    this.instance = RuntimeInstance.create(this.clusterName);
  }

  /** The user-defined bridge network of the current cluster instance. */
  get networkName(): string {
    return networkNameFor(this.clusterName, this.instance.id);
  }

  /** Where the ConfigMap/Secret files of an instance's pods live: `<stateDir>/<instance id>`. */
  instanceDir(instanceId: string = this.instance.id): string {
    return path.join(this.stateDir, instanceId.replace(/[^a-zA-Z0-9_.-]/g, '_'));
  }

  /** The folder of one pod's files, from its sandbox's labels: `<stateDir>/<instance id>/<pod uid>`. */
  podFilesDir(sandboxLabels: Record<string, string>, fallback: string): string {
    const pod = (sandboxLabels[RUNTIME_LABELS.podUid] ?? fallback).replace(/[^a-zA-Z0-9_.-]/g, '_');
    return path.join(this.instanceDir(sandboxLabels[RUNTIME_LABELS.instance] ?? this.instance.id), pod);
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

  /** `task`'s result under `key`: made once, then kept until {@link forget} (a failure is not kept). */
  remember<T>(key: string, task: () => Promise<T>): Promise<T> {
    let p = this.kept.get(key) as Promise<T> | undefined;
    if (!p) {
      p = task();
      this.kept.set(key, p);
      p.catch(() => {
        if (this.kept.get(key) === p) this.kept.delete(key);
      });
    }
    return p;
  }

  /** Drops what {@link remember} kept under `key`. */
  forget(key: string): void {
    this.kept.delete(key);
  }

  /** The daemon address, as messages name it. */
  get daemon(): string {
    return describeDaemon(this.options);
  }

  /** Turns "cannot connect" into the TugboatError naming the daemon address; anything else is rethrown as is. */
  reachable<T>(call: Promise<T>): Promise<T> {
    return call.catch((err: unknown) => {
      throw isUnreachable(err) ? unreachableError(err, this.daemon) : err;
    });
  }

  /** Docker label filters (`key=value`) for the given labels. */
  static labelFilters(labels: Record<string, string>): string[] {
    return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  }

  /**
   * Inspects each Docker container of a runtime role (`sandbox` or `container`, the
   * RUNTIME_LABELS.role label) whose labels include every given label, in any state. One
   * removed between the list and its inspection (inspect fails NotFound) is left out.
   */
  async inspectAll<T>(role: 'sandbox' | 'container', labels: Record<string, string>, inspect: (id: string) => Promise<T>): Promise<T[]> {
    const list = await this.reachable(
      this.docker.listContainers({
        all: true,
        filters: { label: [...DockerScope.labelFilters(labels), `${RUNTIME_LABELS.role}=${role}`] },
      }),
    );
    const out = await Promise.all(
      list.map((c) =>
        inspect(c.Id).catch((err: unknown) => {
          if ((err as { reason?: string }).reason === 'NotFound') return undefined;
          throw err;
        }),
      ),
    );
    return out.filter((s): s is Awaited<T> => s !== undefined);
  }

  /** The cluster label of the current cluster, as a filter entry. */
  get clusterFilter(): string {
    return `${RUNTIME_LABELS.cluster}=${this.clusterName}`;
  }
}

/**
 * The name of the Docker network of a running cluster: `tugboat-<clusterName>-<instance id>`,
 * so two live clusters of one name never share (or remove) each other's network.
 */
export function networkNameFor(clusterName: string, instanceId: string | undefined): string {
  return instanceId ? `tugboat-${clusterName}-${instanceId}` : `tugboat-${clusterName}`;
}

/** The network of an object (its cluster and instance labels). */
export function networkOf(labels: Record<string, string>, scope: DockerScope): string {
  return networkNameFor(labels[RUNTIME_LABELS.cluster] ?? scope.clusterName, labels[RUNTIME_LABELS.instance]);
}
