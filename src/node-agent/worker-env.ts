/**
 * What a pod worker needs from its node agent: the runtime (with the node's concurrency limit),
 * the API, the clock, the node's identity and a few shared caches.
 */
import type { ApiContext, ResourceClient } from '../client/types.js';
import type { Pod } from '../model/types.js';
import { RUNTIME_LABELS, type ContainerRuntime, type ContainerStatus } from '../runtime-adapters/types.js';
import type { ConfigSource } from './config-error.js';
import type { PodOwner } from './container-config.js';

/** A pod worker's view of its node agent. */
export interface WorkerEnv {
  ctx: ApiContext;
  runtime: ContainerRuntime;
  /** Runs a runtime call within the node's concurrency limit. */
  limit<T>(fn: () => Promise<T>): Promise<T>;
  owner: PodOwner;
  source: ConfigSource;
  /** Images this node has ensured already (for IfNotPresent/Never without another call). */
  images: Set<string>;
  /** False once the agent was stopped or killed: no more runtime calls or writes. */
  alive(): boolean;
  /** The pod client of a namespace. */
  pods(namespace: string): ResourceClient<Pod>;
  /** Records an Event about the pod (never throws). */
  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The worker is done with its pod (deleted and cleaned up). */
  finished(uid: string): void;
}

/** The restart attempt of a runtime container, from its attempt label. */
export function attemptOf(c: ContainerStatus): number {
  const n = Number(c.labels[RUNTIME_LABELS.attempt]);
  return Number.isFinite(n) ? n : 0;
}
