/**
 * One scheduling cycle as pure functions: PreFilter, Filter over nodes (stopping early by
 * kube-scheduler's adaptive percentageOfNodesToScore), Score, weighted sum, host selection, and
 * kube-scheduler's failure message.
 */
import type { Pod } from '../model/types.js';
import type { ClusterSnapshot, NodeInfo, NodeScore, Status } from './types.js';
import { CycleState, MAX_NODE_SCORE } from './types.js';
import type { PluginRegistry } from './registry.js';
import { errorStatus, withPlugin } from './status.js';
import type { NominatedPods } from './nominated-pods.js';
import { nodeInfoVariant } from './node-info-cache.js';
import { podInfoOf } from './pod-info.js';

/** kube-scheduler's floor of nodes to find feasible before stopping. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** kube-scheduler's floor of the adaptive percentage. */
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

/**
 * How many feasible nodes to find before scoring: all of them under 100 nodes, otherwise
 * `percentage`% (adaptive when 0: 50 - nodes/125, at least 5%) and at least 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) adaptive = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * adaptive) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

function thrown(plugin: string, err: unknown): Status {
  return withPlugin(errorStatus(`${plugin}: ${(err as Error)?.message ?? String(err)}`), plugin);
}

/**
 * Runs every PreFilter plugin; the first status other than Success or Skip is returned (tagged
 * with the plugin). A plugin returning Skip is recorded in the state: its Filter is not run.
 */
export function runPreFilter(registry: PluginRegistry, pod: Pod, state: CycleState, snapshot: ClusterSnapshot): Status | undefined {
  for (const p of registry.preFilter) {
    let s: Status;
    try {
      s = p.preFilter(pod, state, snapshot);
    } catch (err) {
      return thrown(p.name, err);
    }
    if (s.code === 'Skip') state.skipFilterPlugins.add(p.name);
    else if (s.code !== 'Success') return withPlugin(s, p.name);
  }
  return undefined;
}

/**
 * Runs the Filter plugins on one node, stopping at the first failure (as kube-scheduler); those
 * whose PreFilter returned Skip in this state are left out.
 */
export function runFilters(registry: PluginRegistry, pod: Pod, nodeInfo: NodeInfo, state: CycleState): Status | undefined {
  const plugins = state.filterPlugins(registry.filter);
  for (let i = 0; i < plugins.length; i++) {
    const p = plugins[i];
    let s: Status;
    try {
      s = p.filter(pod, nodeInfo, state);
    } catch (err) {
      return thrown(p.name, err);
    }
    if (s.code !== 'Success') return withPlugin(s, p.name);
  }
  return undefined;
}

/** What {@link findNodesThatFit} found. */
export interface FilterResult {
  feasible: NodeInfo[];
  /** Why each rejected node was rejected. */
  statuses: Map<string, Status>;
  /** Nodes examined (feasible + rejected): the next cycle starts this far on. */
  processed: number;
}

/** Options of {@link findNodesThatFit}. */
export interface FindOptions {
  /**
   * Pods nominated to nodes by an earlier preemption: a node must fit the pod with those of
   * higher or equal priority in place (and without them), as kube-scheduler filters.
   */
  nominated?: NominatedPods;
  /** Index of the node to start from (rotates between cycles). @default 0 */
  startIndex?: number;
  /** 0 = adaptive, as kube-scheduler. @default 0 */
  percentageOfNodesToScore?: number;
}

/** Runs Filter over the snapshot's nodes from a rotating start, stopping once enough fit. */
export function findNodesThatFit(
  registry: PluginRegistry,
  pod: Pod,
  state: CycleState,
  snapshot: ClusterSnapshot,
  options: FindOptions = {},
): FilterResult {
  return findInto(registry, pod, state, snapshot, options, []);
}

/**
 * {@link findNodesThatFit} with the feasible nodes written over `feasible`'s entries (its length is
 * set at the end, not emptied first: emptying an array drops its storage, and pushes would grow it
 * again every cycle).
 */
function findInto(
  registry: PluginRegistry,
  pod: Pod,
  state: CycleState,
  snapshot: ClusterSnapshot,
  options: FindOptions,
  feasible: NodeInfo[],
): FilterResult {
  const nodes = snapshot.nodeInfos();
  const n = nodes.length;
  const want = numFeasibleNodesToFind(n, options.percentageOfNodesToScore);
  let at = n === 0 ? 0 : (options.startIndex ?? 0) % n;
  let found = 0;
  const statuses = new Map<string, Status>();
  let processed = 0;
  const nominated = options.nominated?.size ? options.nominated : undefined;
  const info = nominated ? podInfoOf(pod) : undefined;
  for (let i = 0; i < n && found < want; i++) {
    const ni = nodes[at];
    if (++at === n) at = 0;
    processed++;
    let s: Status | undefined;
    if (nominated && info) {
      const held = nominated.holding(ni.name, info.key, info.priority);
      if (held.length > 0) s = runFilters(registry, pod, nodeInfoVariant(ni, { add: held }), state);
    }
    s ??= runFilters(registry, pod, ni, state);
    if (s) statuses.set(ni.name, s);
    else if (found < feasible.length) feasible[found++] = ni;
    else {
      feasible.push(ni);
      found++;
    }
  }
  feasible.length = found;
  return { feasible, statuses, processed };
}

/** Scores feasible nodes: each plugin's score, normalized, times its weight, summed. */
export function prioritize(
  registry: PluginRegistry,
  pod: Pod,
  state: CycleState,
  feasible: readonly NodeInfo[],
  snapshot: ClusterSnapshot,
): NodeScore[] {
  const scores: NodeScore[] = [];
  scoreInto(registry, pod, state, feasible, snapshot, scores, new Float64Array(feasible.length));
  return scores;
}

/**
 * Scratch of {@link scheduleOne}'s scoring, reused from cycle to cycle (cycles are synchronous and
 * do not nest), so scoring allocates nothing per node once it has seen as many feasible nodes.
 */
const scratch: { feasible: NodeInfo[]; scores: NodeScore[]; sums: Float64Array } = { feasible: [], scores: [], sums: new Float64Array(0) };

/**
 * {@link prioritize} into `scores` (its first `feasible.length` entries are reset and filled; entries
 * are created only when it is shorter) and `sums` (at least as long).
 */
function scoreInto(
  registry: PluginRegistry,
  pod: Pod,
  state: CycleState,
  feasible: readonly NodeInfo[],
  snapshot: ClusterSnapshot,
  scores: NodeScore[],
  sums: Float64Array,
): void {
  const n = feasible.length;
  for (const p of registry.preScore) {
    const s = p.preScore(pod, state, feasible, snapshot);
    if (s && s.code === 'Skip') state.skipScorePlugins.add(p.name);
  }
  // One array of per-node scores, refilled for each plugin (normalize rescales it in place). A
  // plugin's normalize sees exactly the feasible nodes: the array is trimmed to them.
  for (let i = 0; i < n; i++) {
    const name = feasible[i].name;
    if (i < scores.length) (scores[i] as { name: string }).name = name;
    else scores.push({ name, score: 0 });
    sums[i] = 0;
  }
  scores.length = n;
  const skipped = state.skipScorePlugins;
  for (const p of registry.score) {
    const weight = p.weight ?? 1;
    if (weight === 0 || (skipped.size > 0 && skipped.has(p.name))) continue;
    if (!p.normalize) {
      // Nothing rescales the raw scores: add them up in the same pass.
      for (let i = 0; i < n; i++) sums[i] += Math.min(MAX_NODE_SCORE, Math.max(0, p.score(pod, feasible[i], state))) * weight;
      continue;
    }
    for (let i = 0; i < n; i++) scores[i].score = p.score(pod, feasible[i], state);
    p.normalize(scores, pod, state);
    for (let i = 0; i < n; i++) sums[i] += Math.min(MAX_NODE_SCORE, Math.max(0, scores[i].score)) * weight;
  }
  for (let i = 0; i < n; i++) scores[i].score = sums[i];
}

/** A seeded pseudo-random source in [0, 1) (mulberry32), for reproducible tie-breaks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The highest-scoring node; ties are broken by reservoir sampling with `random`, as kube-scheduler. */
export function selectHost(scores: readonly NodeScore[], random: () => number = () => 0): string | undefined {
  let best: string | undefined;
  let bestScore = -Infinity;
  let ties = 0;
  for (const s of scores) {
    if (s.score > bestScore) {
      best = s.name;
      bestScore = s.score;
      ties = 1;
    } else if (s.score === bestScore) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = s.name;
    }
  }
  return best;
}

/**
 * kube-scheduler's FitError text: `0/N nodes are available: <count> <reason>, ....` with the
 * `<count> <reason>` strings sorted, plus an optional PostFilter (preemption) message.
 */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, preFilterMsg?: string, postFilterMsg?: string): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const parts = [...counts].map(([r, c]) => `${c} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/** The outcome of {@link scheduleOne}. */
export type ScheduleOutcome =
  | { ok: true; nodeName: string; feasible: number; processed: number; state: CycleState }
  | {
      ok: false;
      /** kube-scheduler's FitError message (without PostFilter). */
      message: string;
      /** Set when a plugin failed with an Error status (the pod is retried, not preempted for). */
      error?: string;
      statuses: Map<string, Status>;
      numAllNodes: number;
      processed: number;
      state: CycleState;
    };

/** Options of {@link scheduleOne}. */
export interface ScheduleOneOptions extends FindOptions {
  random?: () => number;
}

/** Runs a whole cycle for one pod against a snapshot: PreFilter, Filter, Score, select. */
export function scheduleOne(
  registry: PluginRegistry,
  pod: Pod,
  snapshot: ClusterSnapshot,
  options: ScheduleOneOptions = {},
): ScheduleOutcome {
  const state = new CycleState();
  const numAllNodes = snapshot.nodeInfos().length;
  const pre = runPreFilter(registry, pod, state, snapshot);
  if (pre) {
    const statuses = new Map<string, Status>();
    const reason = pre.reasons.join(', ');
    return {
      ok: false,
      message: fitErrorMessage(numAllNodes, [], reason || pre.code),
      ...(pre.code === 'Error' ? { error: reason } : {}),
      statuses,
      numAllNodes,
      processed: 0,
      state,
    };
  }
  const found = findInto(registry, pod, state, snapshot, options, scratch.feasible);
  for (const s of found.statuses.values()) {
    if (s.code === 'Error') {
      return {
        ok: false,
        message: s.reasons.join(', '),
        error: s.reasons.join(', '),
        statuses: found.statuses,
        numAllNodes,
        processed: found.processed,
        state,
      };
    }
  }
  if (found.feasible.length === 0) {
    const message = fitErrorMessage(numAllNodes, found.statuses.values());
    return { ok: false, message, statuses: found.statuses, numAllNodes, processed: found.processed, state };
  }
  let nodeName: string;
  if (found.feasible.length === 1) nodeName = found.feasible[0].name;
  else {
    if (scratch.sums.length < found.feasible.length) scratch.sums = new Float64Array(found.feasible.length * 2);
    scoreInto(registry, pod, state, found.feasible, snapshot, scratch.scores, scratch.sums);
    nodeName = selectHost(scratch.scores, options.random)!;
  }
  return { ok: true, nodeName, feasible: found.feasible.length, processed: found.processed, state };
}
