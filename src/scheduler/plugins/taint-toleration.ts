/**
 * TaintToleration: a pod fits a node only if it tolerates every NoSchedule and NoExecute taint;
 * untolerated PreferNoSchedule taints lower the node's score.
 */
import type { core } from '../../model/types.js';
import type { FilterPlugin, ScorePlugin } from '../types.js';
import { success, unresolvable } from '../status.js';
import { defaultNormalizeScore } from './normalize.js';
import { findUntolerated, tolerates, type TaintLike } from '../../model/tolerations.js';

export { findUntolerated, tolerates };

/** The reason text for a taint the pod does not tolerate, as kube-scheduler words it. */
export function untoleratedTaintReason(taint: TaintLike): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

const HARD = ['NoSchedule', 'NoExecute'] as const;

/** Creates the TaintToleration filter (NoSchedule, NoExecute) and score (PreferNoSchedule) plugin. */
export function taintTolerationPlugin(weight = 3): FilterPlugin & ScorePlugin {
  return {
    name: 'TaintToleration',
    weight,
    filter(pod, nodeInfo) {
      if (!nodeInfo.node?.spec?.taints?.length) return success();
      const taint = findUntolerated(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, HARD);
      return taint ? unresolvable(untoleratedTaintReason(taint)) : success();
    },
    score(pod, nodeInfo) {
      const taints = nodeInfo.node?.spec?.taints;
      if (!taints || taints.length === 0) return 0;
      let count = 0;
      const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      for (const taint of taints) {
        if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint))) count++;
      }
      return count;
    },
    normalize(scores) {
      defaultNormalizeScore(scores, true);
    },
  } satisfies FilterPlugin & ScorePlugin;
}
