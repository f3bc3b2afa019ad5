/**
 * The scheduler framework's contracts: plugin interfaces per phase, the typed plugin Status,
 * NodeInfo (a node with the pods on it and what they request) and CycleState.
 * Modelled on kube-scheduler's framework: one interface per extension point, each with a name.
 */
import type { Node, Pod } from '../model/types.js';

/**
 * How a plugin judged a pod on a node, as kube-scheduler's status codes. `Skip` is returned by
 * PreFilter or PreScore when the plugin has nothing to check or rank for this pod: its Filter
 * (or Score) is then not run in this cycle, as kube-scheduler's Skip.
 */
export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

/**
 * The result of a Filter or PreFilter plugin. `reasons` are the human texts kube-scheduler
 * counts into its `0/N nodes are available: ...` message.
 */
export interface Status {
  readonly code: StatusCode;
  readonly reasons: readonly string[];
  /** The plugin that returned it (set by the framework). */
  readonly plugin?: string;
}

/** Resource amounts the scheduler compares: cpu in millicores, memory in bytes, pod count. */
export interface Resources {
  milliCpu: number;
  memory: number;
  pods: number;
  /** Extended resources (e.g. `nvidia.com/gpu`) in whole units. */
  scalar?: Record<string, number>;
}

/** A pod with everything the framework derives from it once per version. */
export interface PodInfo {
  readonly pod: Pod;
  readonly key: string;
  /** Requests as kube-scheduler computes them: max(init) vs sum(app) plus overhead. */
  readonly requests: Resources;
  /** Requests where zero cpu/memory count as 100m/200Mi (for scoring, as k8s). */
  readonly nonZeroRequests: Resources;
  readonly priority: number;
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
}

/** A node, the pods placed on it (bound or assumed) and their summed requests. */
export interface NodeInfo {
  readonly name: string;
  /** Undefined while pods are known on a node the cache has not seen yet. */
  readonly node: Node | undefined;
  readonly pods: ReadonlyMap<string, PodInfo>;
  readonly requested: Readonly<Resources>;
  readonly nonZeroRequested: Readonly<Resources>;
  readonly allocatable: Readonly<Resources>;
  /** Pods on this node with any pod (anti-)affinity. */
  readonly podsWithAffinity: number;
  /** Pods on this node with required anti-affinity. */
  readonly podsWithRequiredAntiAffinity: number;
  /** Bumped on every change; lets plugins cache per-node derivations. */
  readonly generation: number;
}

/** What plugins can read about the whole cluster during one cycle. */
export interface ClusterSnapshot {
  /** Every node the scheduler knows, in a stable order. */
  nodeInfos(): readonly NodeInfo[];
  /** The NodeInfo of a node by name. */
  nodeInfo(name: string): NodeInfo | undefined;
  /** True when some pod in the cluster has pod affinity or anti-affinity. */
  havePodsWithAffinity(): boolean;
  /** True when some pod in the cluster has required pod anti-affinity. */
  havePodsWithRequiredAntiAffinity(): boolean;
  /** Labels of a namespace (for namespaceSelector); undefined when unknown. */
  namespaceLabels(name: string): Readonly<Record<string, string>> | undefined;
  /** Every namespace name known. */
  namespaces(): readonly string[];
}

/**
 * Per-pod scratch data of one scheduling cycle: PreFilter/PreScore plugins write what Filter and
 * Score read. Keys are conventionally the plugin name.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run in this cycle (kube-scheduler's SkipFilterPlugins). */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run in this cycle (kube-scheduler's SkipScorePlugins). */
  readonly skipScorePlugins = new Set<string>();
  private filters: { all: readonly FilterPlugin[]; run: readonly FilterPlugin[]; skipped: number } | undefined;

  /**
   * The plugins of `all` whose Filter runs in this cycle (those not in {@link skipFilterPlugins}),
   * computed once and reused for every node.
   */
  filterPlugins(all: readonly FilterPlugin[]): readonly FilterPlugin[] {
    const skipped = this.skipFilterPlugins.size;
    if (skipped === 0) return all;
    const f = this.filters;
    if (f !== undefined && f.all === all && f.skipped === skipped) return f.run;
    return this.computeFilterPlugins(all);
  }

  /** The slow path of {@link filterPlugins}, apart so the fast path allocates nothing (no closure context). */
  private computeFilterPlugins(all: readonly FilterPlugin[]): readonly FilterPlugin[] {
    const skip = this.skipFilterPlugins;
    const run = all.filter((p) => !skip.has(p.name));
    this.filters = { all, run, skipped: skip.size };
    return run;
  }

  /** Reads a value written earlier in this cycle. */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Stores a value for later phases of this cycle. */
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** A shallow copy (preemption evaluates nodes on a copy). */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, v);
    for (const n of this.skipFilterPlugins) copy.skipFilterPlugins.add(n);
    for (const n of this.skipScorePlugins) copy.skipScorePlugins.add(n);
    return copy;
  }
}

/** Every plugin has a unique name. */
export interface Plugin {
  readonly name: string;
}

/**
 * Runs once per cycle before Filter, to compute per-pod state (e.g. topology counts).
 * Returning Skip leaves its Filter out of this cycle; any other non-Success status makes the pod unschedulable on every node.
 */
export interface PreFilterPlugin extends Plugin {
  /** Computes the pod's state for this cycle into `state`; `Skip` when its Filter has nothing to check for this pod. */
  preFilter(pod: Pod, state: CycleState, snapshot: ClusterSnapshot): Status;
  /** Updates the PreFilter state when preemption removes `victim` from `nodeInfo`. */
  removePod?(state: CycleState, pod: Pod, victim: PodInfo, nodeInfo: NodeInfo): void;
}

/** Decides whether a pod may run on a node. Must be pure and fast: it runs on many nodes. */
export interface FilterPlugin extends Plugin {
  /** Success when the pod fits the node; Unschedulable with reasons otherwise. */
  filter(pod: Pod, nodeInfo: NodeInfo, state: CycleState): Status;
}

/** Runs once per cycle before Score, on the feasible nodes. */
export interface PreScorePlugin extends Plugin {
  /**
   * Computes what scoring needs over the feasible nodes. Returning a `Skip` status means the
   * plugin's Score would rank every node the same for this pod: it is not run in this cycle.
   * `nodes` is valid during the cycle only (the framework reuses the array): copy it to keep it.
   */
  preScore(pod: Pod, state: CycleState, nodes: readonly NodeInfo[], snapshot: ClusterSnapshot): Status | void;
}

/** One node's score from one plugin. */
export interface NodeScore {
  readonly name: string;
  score: number;
}

/** Ranks a feasible node from 0 to 100; the framework sums weighted scores. */
export interface ScorePlugin extends Plugin {
  /** @default 1 */
  readonly weight?: number;
  /** The node's raw score for the pod. */
  score(pod: Pod, nodeInfo: NodeInfo, state: CycleState): number;
  /** Rescales raw scores of all feasible nodes to 0..100 (in place). */
  normalize?(scores: NodeScore[], pod: Pod, state: CycleState): void;
}

/** Anything the registry accepts: a plugin implementing one or more phases. */
export type AnyPlugin = Plugin & Partial<PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin>;

/** The highest node score, as kube-scheduler's MaxNodeScore. */
export const MAX_NODE_SCORE = 100;
