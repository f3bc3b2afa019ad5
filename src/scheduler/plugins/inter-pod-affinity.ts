/**
 * InterPodAffinity: required pod affinity and anti-affinity (the incoming pod's terms and the
 * existing pods' anti-affinity against it) filter nodes by topology domain; preferred terms
 * (both ways) and existing pods' required affinity score them. PreFilter/PreScore count once
 * per cycle and are skipped when no pod in the cluster uses affinity.
 */
import type { Node, Pod } from '../../model/types.js';
import type { ClusterSnapshot, FilterPlugin, NodeInfo, PodInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../types.js';
import { MAX_NODE_SCORE } from '../types.js';
import { skip, success, unresolvable, unschedulable } from '../status.js';
import { affinityTermsOf, termMatches, type AffinityTerm, type PodAffinityTerms } from '../pod-info.js';

/** Reasons InterPodAffinity reports. */
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const NAME = 'InterPodAffinity';
const SCORE_KEY = 'PreScoreInterPodAffinity';

type Counts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\u0000${value}`;

interface FilterState {
  terms: PodAffinityTerms;
  snapshot: ClusterSnapshot;
  existingAnti: Counts;
  affinity: Counts;
  anti: Counts;
}

function bump(counts: Counts, node: Node | undefined, key: string, by: number): void {
  const v = node?.metadata.labels?.[key];
  if (v === undefined) return;
  const k = pair(key, v);
  const n = (counts.get(k) ?? 0) + by;
  if (n === 0) counts.delete(k);
  else counts.set(k, n);
}

/** Adds (sign 1) or removes (-1) one existing pod's contribution to the filter counts. */
function contribute(s: FilterState, pod: Pod, existing: PodInfo, node: Node | undefined, sign: number): void {
  if (existing.hasRequiredAntiAffinity) {
    for (const t of affinityTermsOf(existing.pod).requiredAntiAffinity) {
      if (termMatches(t, pod, s.snapshot)) bump(s.existingAnti, node, t.topologyKey, sign);
    }
  }
  const { requiredAffinity, requiredAntiAffinity } = s.terms;
  if (requiredAffinity.length > 0 && requiredAffinity.every((t) => termMatches(t, existing.pod, s.snapshot))) {
    for (const t of requiredAffinity) bump(s.affinity, node, t.topologyKey, sign);
  }
  for (const t of requiredAntiAffinity) {
    if (termMatches(t, existing.pod, s.snapshot)) bump(s.anti, node, t.topologyKey, sign);
  }
}

function hasLabelCount(counts: Counts, node: Node, key: string): boolean {
  const v = node.metadata.labels?.[key];
  return v !== undefined && (counts.get(pair(key, v)) ?? 0) > 0;
}

function satisfiesAffinity(s: FilterState, pod: Pod, node: Node): boolean {
  let podsExist = true;
  for (const t of s.terms.requiredAffinity) {
    const v = node.metadata.labels?.[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group whose terms select itself may go anywhere with the topology labels.
  return s.affinity.size === 0 && s.terms.requiredAffinity.every((t) => termMatches(t, pod, s.snapshot));
}

interface ScoreState {
  scores: Map<string, Map<string, number>>;
}

function addScore(st: ScoreState, term: AffinityTerm, node: Node, w: number): void {
  const v = node.metadata.labels?.[term.topologyKey];
  if (v === undefined || w === 0) return;
  let m = st.scores.get(term.topologyKey);
  if (!m) st.scores.set(term.topologyKey, (m = new Map()));
  m.set(v, (m.get(v) ?? 0) + w);
}

/** Options of {@link interPodAffinityPlugin}. */
export interface InterPodAffinityOptions {
  /** Score weight of existing pods' required affinity terms that match the incoming pod. @default 1 */
  hardPodAffinityWeight?: number;
  /** @default 2 */
  weight?: number;
}

/** Creates the InterPodAffinity plugin (PreFilter, Filter, PreScore, Score). */
export function interPodAffinityPlugin(
  options: InterPodAffinityOptions = {},
): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const hardWeight = options.hardPodAffinityWeight ?? 1;
  return {
    name: NAME,
    weight: options.weight ?? 2,
    preFilter(pod, state, snapshot) {
      const terms = affinityTermsOf(pod);
      const own = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0;
      if (!own && !snapshot.havePodsWithRequiredAntiAffinity()) return skip();
      const s: FilterState = { terms, snapshot, existingAnti: new Map(), affinity: new Map(), anti: new Map() };
      for (const ni of snapshot.nodeInfos()) {
        if (!own && ni.podsWithRequiredAntiAffinity === 0) continue;
        for (const existing of ni.pods.values()) {
          if (!own && !existing.hasRequiredAntiAffinity) continue;
          contribute(s, pod, existing, ni.node, 1);
        }
      }
      state.write(NAME, s);
      return success();
    },
    removePod(state, pod, victim, nodeInfo) {
      const s = state.read<FilterState>(NAME);
      if (!s) return;
      const copy: FilterState = { ...s, existingAnti: new Map(s.existingAnti), affinity: new Map(s.affinity), anti: new Map(s.anti) };
      contribute(copy, pod, victim, nodeInfo.node, -1);
      state.write(NAME, copy);
    },
    filter(pod, nodeInfo, state) {
      const s = state.read<FilterState>(NAME);
      const node = nodeInfo.node;
      if (!s || !node) return success();
      if (s.terms.requiredAffinity.length > 0 && !satisfiesAffinity(s, pod, node)) return unresolvable(ERR_AFFINITY);
      for (const t of s.terms.requiredAntiAffinity) {
        if (hasLabelCount(s.anti, node, t.topologyKey)) return unschedulable(ERR_ANTI_AFFINITY);
      }
      if (s.existingAnti.size > 0) {
        for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
          if ((s.existingAnti.get(pair(k, v)) ?? 0) > 0) return unschedulable(ERR_EXISTING_ANTI_AFFINITY);
        }
      }
      return success();
    },
    preScore(pod, state, _nodes, snapshot) {
      const terms = affinityTermsOf(pod);
      const own = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
      if (!own && !snapshot.havePodsWithAffinity()) return skip();
      const st: ScoreState = { scores: new Map() };
      for (const ni of snapshot.nodeInfos()) {
        const node = ni.node;
        if (!node || (!own && ni.podsWithAffinity === 0)) continue;
        for (const existing of ni.pods.values()) {
          if (!own && !existing.hasAffinity) continue;
          for (const t of terms.preferredAffinity) if (termMatches(t, existing.pod, snapshot)) addScore(st, t, node, t.weight);
          for (const t of terms.preferredAntiAffinity) if (termMatches(t, existing.pod, snapshot)) addScore(st, t, node, -t.weight);
          if (!existing.hasAffinity) continue;
          const et = affinityTermsOf(existing.pod);
          for (const t of et.requiredAffinity) if (termMatches(t, pod, snapshot)) addScore(st, t, node, hardWeight);
          for (const t of et.preferredAffinity) if (termMatches(t, pod, snapshot)) addScore(st, t, node, t.weight);
          for (const t of et.preferredAntiAffinity) if (termMatches(t, pod, snapshot)) addScore(st, t, node, -t.weight);
        }
      }
      // No term counted anywhere: every node would score 0.
      if (st.scores.size === 0) return skip();
      state.write(SCORE_KEY, st);
    },
    score(_pod, nodeInfo: NodeInfo, state) {
      const st = state.read<ScoreState>(SCORE_KEY);
      const labels = nodeInfo.node?.metadata.labels;
      if (!st || !labels) return 0;
      let total = 0;
      for (const [key, byValue] of st.scores) {
        const v = labels[key];
        if (v !== undefined) total += byValue.get(v) ?? 0;
      }
      return total;
    },
    normalize(scores, _pod, state) {
      if (!state.read<ScoreState>(SCORE_KEY)) return;
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) {
        min = Math.min(min, s.score);
        max = Math.max(max, s.score);
      }
      const diff = max - min;
      for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
