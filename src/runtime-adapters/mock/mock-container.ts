/**
 * The mock's record of one container and of one sandbox, and their snapshots.
 */
import type { Timer } from '../../clock/types.js';
import { RUNTIME_LABELS, type ContainerStatus, type SandboxStatus } from '../types.js';
import type { MockContainerInfo, MockImageBehavior } from './types.js';

/** A mock sandbox. Times are epoch milliseconds of the runtime's clock. */
export interface MockSandbox {
  id: string;
  ip: string;
  state: 'ready' | 'notready';
  labels: Record<string, string>;
  createdAt: number;
  node: string | undefined;
  containers: Set<string>;
}

/** A mock container: plain fields, at most a couple of pending timers, no intervals. */
export interface MockContainer {
  id: string;
  sandboxId: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  node: string | undefined;
  behavior: MockImageBehavior;
  state: 'created' | 'running' | 'exited';
  exitCode?: number;
  reason?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** A start is under way (startupMs not elapsed). */
  starting?: boolean;
  /** SIGTERM was sent. */
  stopping?: boolean;
  /** Pending timers: exit on its own / startup, and the grace-period kill. */
  timer?: Timer;
  killTimer?: Timer;
  /** Called on every state change (start, exit, removal). */
  waiters?: Array<() => void>;
  usage?: { cpuMillis: number; memoryBytes: number };
  removed?: boolean;
  /** The files of its files mounts (ConfigMap, Secret, downward API), by containerPath. */
  files?: Map<string, Record<string, Uint8Array>>;
}

/** The ContainerRuntime view of a mock container. */
export function containerStatus(c: MockContainer): ContainerStatus {
  const s: ContainerStatus = {
    id: c.id,
    sandboxId: c.sandboxId,
    name: c.name,
    image: c.image,
    imageId: c.imageId,
    state: c.state,
    createdAt: new Date(c.createdAt),
    labels: { ...c.labels },
  };
  if (c.exitCode !== undefined) s.exitCode = c.exitCode;
  if (c.reason !== undefined) s.reason = c.reason;
  if (c.startedAt !== undefined) s.startedAt = new Date(c.startedAt);
  if (c.finishedAt !== undefined) s.finishedAt = new Date(c.finishedAt);
  return s;
}

/** The test-inspection view of a mock container. */
export function containerInfo(c: MockContainer): MockContainerInfo {
  return {
    ...containerStatus(c),
    namespace: c.labels[RUNTIME_LABELS.namespace] ?? '',
    pod: c.labels[RUNTIME_LABELS.podName] ?? '',
    podUid: c.labels[RUNTIME_LABELS.podUid] ?? '',
    node: c.node ?? '',
  };
}

/** The ContainerRuntime view of a mock sandbox. */
export function sandboxStatus(s: MockSandbox): SandboxStatus {
  return { id: s.id, ip: s.ip, state: s.state, labels: { ...s.labels }, createdAt: new Date(s.createdAt) };
}

/** Wakes everyone waiting on a container's next change. */
export function notify(c: MockContainer): void {
  const waiters = c.waiters;
  if (!waiters) return;
  c.waiters = undefined;
  for (const w of waiters) w();
}

/** Resolves on the container's next change, or when the signal aborts. */
export function nextChange(c: MockContainer, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      signal?.removeEventListener('abort', done);
      resolve();
    };
    (c.waiters ??= []).push(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
