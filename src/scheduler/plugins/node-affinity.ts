/**
 * NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity filter nodes;
 * preferredDuringScheduling terms add their weights to a node's score.
 */
import { matchNodeSelectorTerm, matchesRequiredNodeAffinity } from '../../model/node-affinity.js';
import type { FilterPlugin, ScorePlugin } from '../types.js';
import { success, unresolvable } from '../status.js';
import { defaultNormalizeScore } from './normalize.js';

export { matchNodeSelectorTerm, matchesRequiredNodeAffinity };

/** The reason NodeAffinity reports. */
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** Creates the NodeAffinity filter and score plugin. */
export function nodeAffinityPlugin(weight = 2): FilterPlugin & ScorePlugin {
  return {
    name: 'NodeAffinity',
    weight,
    filter(pod, nodeInfo) {
      if (!nodeInfo.node) return unresolvable('node not found');
      return matchesRequiredNodeAffinity(pod, nodeInfo.node) ? success() : unresolvable(ERR_NODE_AFFINITY);
    },
    score(pod, nodeInfo) {
      const prefs = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      if (!prefs || !nodeInfo.node) return 0;
      let total = 0;
      for (const p of prefs) if (p.weight !== 0 && matchNodeSelectorTerm(p.preference, nodeInfo.node)) total += p.weight;
      return total;
    },
    normalize(scores) {
      defaultNormalizeScore(scores, false);
    },
  } satisfies FilterPlugin & ScorePlugin;
}
