/**
 * PodTopologySpread: keeps matching pods evenly spread over topology domains. DoNotSchedule
 * constraints filter (skew = matching pods in the node's domain + self - global minimum must not
 * exceed maxSkew); ScheduleAnyway constraints score (fewer matching pods is better).
 */
import type { Pod, core } from '../../model/types.js';
import { labelSelectorAsSelector, type Selector } from '../../model/selector.js';
import type { ClusterSnapshot, FilterPlugin, NodeInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../types.js';
import { MAX_NODE_SCORE } from '../types.js';
import { skip, success, unresolvable, unschedulable } from '../status.js';
import { matchesRequiredNodeAffinity } from './node-affinity.js';
import { findUntolerated } from './taint-toleration.js';
import { NOTHING_SELECTOR } from '../pod-info.js';
import { LABEL_HOSTNAME as HOSTNAME } from '../../model/well-known.js';

/** Reasons PodTopologySpread reports. */
export const ERR_TOPOLOGY_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_TOPOLOGY_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

const NAME = 'PodTopologySpread';
const SCORE_KEY = 'PreScorePodTopologySpread';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  hard: boolean;
  selector: Selector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

const parsed = new WeakMap<Pod, Constraint[]>();

function constraintsOf(pod: Pod): Constraint[] {
  let cs = parsed.get(pod);
  if (!cs) {
    cs = (pod.spec?.topologySpreadConstraints ?? []).map((c: core.TopologySpreadConstraint) => {
      const extra = (c.matchLabelKeys ?? [])
        .filter((k) => pod.metadata.labels?.[k] !== undefined)
        .map((k) => ({ key: k, operator: 'In', values: [pod.metadata.labels![k]] }));
      const base = c.labelSelector;
      const selector = base
        ? labelSelectorAsSelector(
            extra.length ? { ...base, matchExpressions: [...(base.matchExpressions ?? []), ...extra] } : base,
            'labelSelector',
          )
        : NOTHING_SELECTOR;
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        hard: c.whenUnsatisfiable !== 'ScheduleAnyway',
        selector,
        minDomains: c.minDomains ?? 1,
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      };
    });
    parsed.set(pod, cs);
  }
  return cs;
}

function eligible(pod: Pod, ni: NodeInfo, cs: readonly Constraint[]): boolean {
  const node = ni.node;
  if (!node) return false;
  const labels = node.metadata.labels ?? {};
  for (const c of cs) if (labels[c.topologyKey] === undefined) return false;
  if (cs.some((c) => c.honorAffinity) && !matchesRequiredNodeAffinity(pod, node)) return false;
  if (cs.some((c) => c.honorTaints) && findUntolerated(node.spec?.taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

/** Matching pods on a node: same namespace, not terminating, selected. */
function countMatching(ni: NodeInfo, ns: string, selector: Selector): number {
  let n = 0;
  for (const p of ni.pods.values()) {
    const m = p.pod.metadata;
    if ((m.namespace ?? 'default') === ns && !m.deletionTimestamp && selector.matches(m.labels)) n++;
  }
  return n;
}

interface FilterState {
  constraints: Constraint[];
  /** Per constraint: domain value -> matching pods. */
  counts: Map<string, number>[];
}

function minOf(counts: Map<string, number>, c: Constraint): number {
  if (counts.size < c.minDomains) return 0;
  let min = Infinity;
  for (const v of counts.values()) min = Math.min(min, v);
  return min === Infinity ? 0 : min;
}

interface ScoreState {
  constraints: Constraint[];
  counts: Map<string, number>[];
  weights: number[];
  ignored: Set<string>;
}

/** Creates the PodTopologySpread plugin (PreFilter, Filter, PreScore, Score). */
export function podTopologySpreadPlugin(weight = 2): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: NAME,
    weight,
    preFilter(pod, state, snapshot: ClusterSnapshot) {
      const constraints = constraintsOf(pod).filter((c) => c.hard);
      if (constraints.length === 0) return skip();
      const ns = pod.metadata.namespace ?? 'default';
      const counts = constraints.map(() => new Map<string, number>());
      for (const ni of snapshot.nodeInfos()) {
        if (!eligible(pod, ni, constraints)) continue;
        constraints.forEach((c, i) => {
          const v = ni.node!.metadata.labels![c.topologyKey];
          counts[i].set(v, (counts[i].get(v) ?? 0) + countMatching(ni, ns, c.selector));
        });
      }
      state.write(NAME, { constraints, counts } satisfies FilterState);
      return success();
    },
    removePod(state, pod, victim, nodeInfo) {
      const s = state.read<FilterState>(NAME);
      const node = nodeInfo.node;
      if (!s || !node || !eligible(pod, nodeInfo, s.constraints)) return;
      const vm = victim.pod.metadata;
      if ((vm.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return;
      const counts = s.counts.map((m, i) => {
        const c = s.constraints[i];
        if (!c.selector.matches(vm.labels)) return m;
        const copy = new Map(m);
        const v = node.metadata.labels![c.topologyKey];
        copy.set(v, (copy.get(v) ?? 1) - 1);
        return copy;
      });
      state.write(NAME, { constraints: s.constraints, counts } satisfies FilterState);
    },
    filter(pod, nodeInfo, state) {
      const s = state.read<FilterState>(NAME);
      if (!s) return success();
      const labels = nodeInfo.node?.metadata.labels ?? {};
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i];
        const v = labels[c.topologyKey];
        if (v === undefined) return unresolvable(ERR_TOPOLOGY_LABEL);
        const self = c.selector.matches(pod.metadata.labels) ? 1 : 0;
        const skew = (s.counts[i].get(v) ?? 0) + self - minOf(s.counts[i], c);
        if (skew > c.maxSkew) return unschedulable(ERR_TOPOLOGY_SPREAD);
      }
      return success();
    },
    preScore(pod, state, nodes, snapshot) {
      const constraints = constraintsOf(pod).filter((c) => !c.hard);
      if (constraints.length === 0) return skip();
      const ignored = new Set<string>();
      const domains = constraints.map(() => new Set<string>());
      let hostCount = 0;
      for (const ni of nodes) {
        const labels = ni.node?.metadata.labels ?? {};
        if (constraints.some((c) => labels[c.topologyKey] === undefined)) {
          ignored.add(ni.name);
          continue;
        }
        hostCount++;
        constraints.forEach((c, i) => domains[i].add(labels[c.topologyKey]));
      }
      const ns = pod.metadata.namespace ?? 'default';
      const counts = constraints.map(() => new Map<string, number>());
      for (const ni of snapshot.nodeInfos()) {
        if (!eligible(pod, ni, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === HOSTNAME) return;
          const v = ni.node!.metadata.labels![c.topologyKey];
          if (!domains[i].has(v)) return;
          counts[i].set(v, (counts[i].get(v) ?? 0) + countMatching(ni, ns, c.selector));
        });
      }
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? hostCount : domains[i].size) + 2));
      state.write(SCORE_KEY, { constraints, counts, weights, ignored } satisfies ScoreState);
    },
    score(pod, nodeInfo, state) {
      const s = state.read<ScoreState>(SCORE_KEY);
      if (!s || s.ignored.has(nodeInfo.name)) return 0;
      const labels = nodeInfo.node?.metadata.labels ?? {};
      const ns = pod.metadata.namespace ?? 'default';
      let total = 0;
      s.constraints.forEach((c, i) => {
        const cnt = c.topologyKey === HOSTNAME ? countMatching(nodeInfo, ns, c.selector) : (s.counts[i].get(labels[c.topologyKey]) ?? 0);
        total += cnt * s.weights[i] + (c.maxSkew - 1);
      });
      return Math.round(total);
    },
    normalize(scores, _pod, state) {
      const s = state.read<ScoreState>(SCORE_KEY);
      if (!s) return;
      let min = Infinity;
      let max = 0;
      for (const x of scores) {
        if (s.ignored.has(x.name)) continue;
        min = Math.min(min, x.score);
        max = Math.max(max, x.score);
      }
      for (const x of scores) {
        if (s.ignored.has(x.name)) x.score = 0;
        else if (max === 0) x.score = MAX_NODE_SCORE;
        else x.score = Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
      }
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
