/**
 * Contracts of the node agent (tugboat's kubelet): its options and the shapes its parts share.
 */
import type { core, Pod } from '../model/types.js';
import type { RuntimeInstance } from '../runtime-adapters/instance.js';
import type { ContainerRuntime } from '../runtime-adapters/types.js';

/** Resource amounts of a node, as Kubernetes quantities ('4', '8Gi', '110'). */
export interface NodeResources {
  cpu?: string;
  memory?: string;
  pods?: string;
  [resource: string]: string | undefined;
}

/** Options of a {@link NodeAgent}: which node it is and which runtime runs its pods. */
export interface NodeAgentOptions {
  /** The Node's name (also its hostname label). */
  name: string;
  /** The container runtime that runs this node's pods (may be shared by several nodes). */
  runtime: ContainerRuntime;
  /** The cluster's name, put on every sandbox and container as a label. */
  clusterName: string;
  /**
   * The running cluster's identity (the Cluster gives every agent its own). Its labels go on
   * every sandbox and container; the agent adopts and sweeps only its own instance's objects,
   * unowned ones and those whose owner is gone, never a live cluster's of the same name. Without
   * it, the agent labels nothing with an owner and takes every object of its cluster and node.
   */
  instance?: RuntimeInstance;
  /** @default { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity?: NodeResources;
  /** @default the capacity */
  allocatable?: NodeResources;
  /** Extra Node labels. */
  labels?: Record<string, string>;
  /** Node taints. */
  taints?: core.Taint[];
  /** How often the Lease is renewed. @default 10_000 */
  heartbeatIntervalMs?: number;
  /**
   * How often the Node's status is written when nothing in it changed (the kubelet's
   * nodeStatusReportFrequency); a change is written at the next beat. @default 300_000
   */
  nodeStatusReportFrequencyMs?: number;
  /** The Lease's leaseDurationSeconds. @default 40 */
  leaseDurationSeconds?: number;
  /**
   * How many runtime calls of this node run at once (sandbox and container creates, starts,
   * stops, removals), across its pods; the kubelet has no such bound, this one keeps a burst of
   * pods from opening hundreds of daemon requests at once. @default 32
   */
  runtimeConcurrency?: number;
  /** How often every pod is re-synced as a safety net (the kubelet's syncFrequency). @default 60_000 */
  resyncIntervalMs?: number;
  /**
   * The port of the agent's own endpoint (logs, exec, port-forward for the API server), reported
   * as the Node's status.daemonEndpoints.kubeletEndpoint.Port. @default 10250 (nothing listens: an in-process agent)
   */
  kubeletPort?: number;
  /**
   * The node's address (the kubelet's --node-ip): the Node's InternalIP, where the API server
   * reaches the agent's endpoint, and its pods' status.hostIP. @default '127.0.0.1'
   */
  nodeIP?: string;
}

/** Options of `cluster.logs` (and a node agent's logs). */
export interface PodLogOptions {
  /** Which container; required when the pod has several. */
  container?: string;
  follow?: boolean;
  tail?: number;
  timestamps?: boolean;
  /** The previous (exited) instance of the container, as `kubectl logs --previous`. */
  previous?: boolean;
  signal?: AbortSignal;
}

/** Options of {@link NodeAgent.stop}. */
export interface NodeAgentStopOptions {
  /** Also stop and remove every container and sandbox of this node's pods. */
  removePods?: boolean;
}

/** Receives the pods bound to one node from a shared {@link PodDispatcher}. */
export interface PodSink {
  /** A pod bound to the node was added or changed. */
  upsert(pod: Pod): void;
  /** A pod bound to the node was deleted (or moved away). */
  remove(uid: string): void;
}

/** A pod's resource usage as `NodeAgent.podStats` reports it: each running app container's, and when. */
export interface PodStats {
  containers: { name: string; cpuMillis: number; memoryBytes: number }[];
  at: Date;
}
