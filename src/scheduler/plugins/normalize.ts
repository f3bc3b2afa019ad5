/**
 * Score normalization shared by plugins, as kube-scheduler's DefaultNormalizeScore.
 */
import { MAX_NODE_SCORE, type NodeScore } from '../types.js';

/**
 * Scales scores so the highest becomes 100 (integer arithmetic); `reverse` turns high raw
 * scores into low ones (for counts of bad things, e.g. intolerable PreferNoSchedule taints).
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse = false, max = MAX_NODE_SCORE): void {
  let top = 0;
  for (const s of scores) if (s.score > top) top = s.score;
  if (top === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    const v = Math.trunc((max * s.score) / top);
    s.score = reverse ? max - v : v;
  }
}
