/**
 * NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity filter nodes;
 * preferredDuringScheduling terms add their weights to a node's score.
 */
import { matchNodeSelectorTerm, matchesRequiredNodeAffinity } from '../../model/node-affinity.js';
import type { Pod } from '../../model/types.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../types.js';
import { skip, success, unresolvable } from '../status.js';
import { defaultNormalizeScore } from './normalize.js';

export { matchNodeSelectorTerm, matchesRequiredNodeAffinity };

/** The reason NodeAffinity reports. */
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/**
 * True when the pod asks nothing of a node's labels (no nodeSelector entries, no required node
 * affinity): {@link matchesRequiredNodeAffinity} passes every node.
 */
function selectsAnyNode(pod: Pod): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector) for (const _ in selector) return false;
  return pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms === undefined;
}

/**
 * Creates the NodeAffinity plugin: PreFilter and PreScore return Skip for a pod without a
 * nodeSelector or required terms (resp. preferred terms), as kube-scheduler; Filter and Score.
 */
export function nodeAffinityPlugin(weight = 2): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: 'NodeAffinity',
    weight,
    preFilter(pod) {
      return selectsAnyNode(pod) ? skip() : success();
    },
    preScore(pod) {
      return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? success() : skip();
    },
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
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
