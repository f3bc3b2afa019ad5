/**
 * The agent's record of one container of a pod: its current and previous runtime instances,
 * restart count, back-offs, probe loop and why it waits.
 */
import type { core } from '../model/types.js';
import type { ContainerStatus } from '../runtime-adapters/types.js';
import { NO_BACKOFF, type BackoffState } from './backoff.js';
import type { ContainerView } from './pod-status.js';
import type { ContainerProber } from './prober.js';
import type { VolumeFilesCache } from './volumes.js';

/** One container of a pod, as its worker tracks it. */
export interface ContainerRecord {
  spec: core.Container;
  init: boolean;
  /** A native sidecar: an init container with `restartPolicy: Always` (restarted whatever the pod's policy). */
  sidecar: boolean;
  current?: ContainerStatus;
  previous?: ContainerStatus;
  restartCount: number;
  waiting?: { reason: string; message?: string };
  /** Restart back-off and the instance it was computed for. */
  backoff: BackoffState;
  backoffFor?: string;
  backoffEventFor?: string;
  imageBackoff: BackoffState;
  prober?: ContainerProber;
  proberFor?: string;
  /** A probe asked for this container to be killed (then restarted as the policy says). */
  killRequest?: { kind: 'liveness' | 'startup' };
  /** Digests of the files mounts the instance `filesFor` sees, by containerPath (file-refresh.ts). */
  files?: Map<string, string>;
  filesFor?: string;
  /** The files each digest of `files` was computed from, by containerPath: the same files need no digest again. */
  digested?: Map<string, Record<string, Uint8Array>>;
  /** Its files volumes as last built, so a refresh whose sources did not change builds nothing (volumes.ts). */
  volumeFiles?: VolumeFilesCache;
  /** The last failure to refresh its files (recorded once as FailedMount). */
  refreshError?: string;
}

/** A fresh record for a container spec. */
export function newRecord(spec: core.Container, init: boolean): ContainerRecord {
  return { spec, init, sidecar: init && spec.restartPolicy === 'Always', restartCount: 0, backoff: NO_BACKOFF, imageBackoff: NO_BACKOFF };
}

/** True when the record's container runs now and its startup probe (if any) passed: a sidecar lets the next init container start then. */
export function hasStarted(r: ContainerRecord): boolean {
  return r.current?.state === 'running' && recordView(r).started;
}

/** The status view of a record. */
export function recordView(r: ContainerRecord): ContainerView {
  const live = r.prober !== undefined && r.current !== undefined && r.proberFor === r.current.id;
  return {
    name: r.spec.name,
    image: r.spec.image ?? '',
    ...(r.current ? { current: r.current } : {}),
    ...(r.previous ? { previous: r.previous } : {}),
    restartCount: r.restartCount,
    ...(r.waiting ? { waiting: r.waiting } : {}),
    probeReady: live ? r.prober!.ready : !r.spec.readinessProbe,
    started: live ? r.prober!.started : !r.spec.startupProbe,
  };
}
