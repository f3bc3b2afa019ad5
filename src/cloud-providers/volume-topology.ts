/**
 * Where a provisioned volume may be used, as external provisioners decide it: on the node the
 * claim's first pod was placed on (WaitForFirstConsumer's selected node), else within the
 * StorageClass's allowedTopologies; and whether a node is inside those allowedTopologies.
 */
import type { core, Node, StorageClass } from '../model/types.js';
import { matchTopologySelectorTerms } from '../model/node-affinity.js';
import { LABEL_HOSTNAME } from '../model/well-known.js';
import type { ProvisionRequest } from './types.js';

/** True when the node's labels satisfy one of the class's allowedTopologies terms (or the class has none). */
export function nodeInAllowedTopologies(storageClass: Pick<StorageClass, 'allowedTopologies'>, node: Pick<Node, 'metadata'>): boolean {
  return matchTopologySelectorTerms(storageClass.allowedTopologies, node.metadata.labels ?? {});
}

/**
 * The node affinity of a volume made for `request`: pinned to the selected node when there is
 * one (a node-local volume), else the allowedTopologies as node selector terms, else none.
 */
export function provisionedNodeAffinity(request: ProvisionRequest, nodeLocal: boolean): core.VolumeNodeAffinity | undefined {
  if (request.selectedNode && nodeLocal) {
    return {
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key: LABEL_HOSTNAME, operator: 'In', values: [request.selectedNode] }] }] },
    };
  }
  const terms = request.storageClass.allowedTopologies ?? [];
  if (terms.length === 0) return undefined;
  return {
    required: {
      nodeSelectorTerms: terms.map((t) => ({
        matchExpressions: (t.matchLabelExpressions ?? []).map((e) => ({ key: e.key, operator: 'In', values: [...e.values] })),
      })),
    },
  };
}
