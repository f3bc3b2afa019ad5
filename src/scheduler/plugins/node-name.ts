/**
 * NodeName: a pod that names its node (spec.nodeName) fits only there.
 */
import type { FilterPlugin } from '../types.js';
import { success, unresolvable } from '../status.js';

/** The reason NodeName reports. */
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";

/** Creates the NodeName filter plugin. */
export function nodeNamePlugin(): FilterPlugin {
  return {
    name: 'NodeName',
    filter(pod, nodeInfo) {
      const want = pod.spec?.nodeName;
      return !want || want === nodeInfo.name ? success() : unresolvable(ERR_NODE_NAME);
    },
  } satisfies FilterPlugin;
}
