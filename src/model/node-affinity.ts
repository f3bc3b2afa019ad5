/**
 * Node selection as Kubernetes' scheduler and DaemonSet controller read it: a pod's nodeSelector
 * and required node affinity (matchExpressions on labels, matchFields on metadata.name).
 */
import type { Node, Pod, core } from './types.js';

/** The one field node selector terms can match (matchFields): the node's name (metav1.ObjectNameField). */
export const NODE_NAME_FIELD = 'metadata.name';

function matchRequirement(r: core.NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0], 10);
      if (!/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** True when the node satisfies one node selector term (expressions and fields ANDed; empty matches nothing). */
export function matchNodeSelectorTerm(term: core.NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!matchRequirement(r, labels[r.key])) return false;
  for (const f of fields) {
    if (f.key !== NODE_NAME_FIELD) return false;
    if (!matchRequirement(f, node.metadata.name)) return false;
  }
  return true;
}

/** True when the node passes the pod's nodeSelector and required node affinity. */
export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => matchNodeSelectorTerm(t, node))) return false;
  return true;
}

/**
 * True when the labels satisfy one of the topology selector terms (StorageClass
 * allowedTopologies), or there are none: Kubernetes' MatchTopologySelectorTerms.
 */
export function matchTopologySelectorTerms(
  terms: readonly core.TopologySelectorTerm[] | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.key in labels && e.values.includes(labels[e.key])));
}
