import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { RUNTIME_LABELS } from '../types.js';
import { connect, daemonAddress } from './connection.js';
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
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(readonly options: DockerRuntimeOptions) {
    this.docker = connect(options);
    this.stateDir = options.stateDir ?? path.join(os.tmpdir(), 'tugboat-docker');
    this.sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.busyboxPath = options.busyboxPath ?? '/bin/busybox';
    this.hostAddress = daemonAddress(options);
    this.clusterName = options.clusterName ?? 'default';
    this.nodeName = options.nodeName ?? os.hostname();
  }

  /** The user-defined bridge network of the current cluster. */
  get networkName(): string {
    return networkNameFor(this.clusterName);
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
    const list = await this.docker.listContainers({
      all: true,
      filters: { label: [...DockerScope.labelFilters(labels), `${RUNTIME_LABELS.role}=${role}`] },
    });
    const out = await Promise.all(
      list.map((c) => inspect(c.Id).catch((err: unknown) => {
        if ((err as { reason?: string }).reason === 'NotFound') return undefined;
        throw err;
      })),
    );
    return out.filter((s): s is Awaited<T> => s !== undefined);
  }

  /** The cluster label of the current cluster, as a filter entry. */
  get clusterFilter(): string {
    return `${RUNTIME_LABELS.cluster}=${this.clusterName}`;
  }
}

/** The name of the Docker network of a cluster: `tugboat-<clusterName>`. */
export function networkNameFor(clusterName: string): string {
  return `tugboat-${clusterName}`;
}
