/**
 * NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import type { FilterPlugin } from '../types.js';
import { success, unresolvable } from '../status.js';
import { tolerates } from './taint-toleration.js';
import { TAINT_NODE_UNSCHEDULABLE } from '../../model/well-known.js';

/** The reason NodeUnschedulable reports. */
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' } as const;

/** Creates the NodeUnschedulable filter plugin. */
export function nodeUnschedulablePlugin(): FilterPlugin {
  return {
    name: 'NodeUnschedulable',
    filter(pod, nodeInfo) {
      if (!nodeInfo.node?.spec?.unschedulable) return success();
      const ok = (pod.spec?.tolerations ?? []).some((t) => tolerates(t, UNSCHEDULABLE_TAINT));
      return ok ? success() : unresolvable(ERR_NODE_UNSCHEDULABLE);
    },
  } satisfies FilterPlugin;
}
