/**
 * What the cluster autoscaler simulates scheduling with: cluster-autoscaler's PredicateChecker
 * over a ClusterSnapshot. The composition root gives one backed by the scheduler's own PreFilter
 * and Filter plugins (node selector and affinity, taints, resources, host ports, pod affinity and
 * anti-affinity, topology spread), so the autoscaler and the scheduler never disagree on a fit.
 */
import type { Node, Pod } from '../../model/types.js';

/** Where a pod can go in a {@link SimulatedCluster}. */
export interface FitResult {
  /** The first node (of those asked about) the pod fits on. */
  node?: string;
  /** Why each node asked about rejected it (one reason per node, the scheduler's texts). */
  reasons: string[];
}

/** A simulated cluster the autoscaler places pods in, without touching the real one. */
export interface SimulatedCluster {
  /** The first of `nodeNames` (in order) the pod fits on, with every other node's reason. */
  fit(pod: Pod, nodeNames: readonly string[]): FitResult;
  /** Places a pod on a node: later fits see it (resources, ports, pod (anti-)affinity). */
  place(pod: Pod, nodeName: string): void;
  /** Adds a node (a template node of a group). */
  addNode(node: Node): void;
  /** Removes a node added by {@link addNode} and the pods placed on it. */
  removeNode(name: string): void;
}

/** Makes simulated clusters. */
export interface SchedulingSimulator {
  /** A simulated cluster of these nodes, with these pods (placed by their spec.nodeName). */
  snapshot(nodes: readonly Node[], pods: readonly Pod[]): SimulatedCluster;
}
