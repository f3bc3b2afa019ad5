/**
 * The pod a DaemonSet runs on a node: its template with the daemon tolerations, the revision
 * hash and template generation labels, the controller reference, and required node affinity to
 * that one node (matchFields metadata.name), so the scheduler places it there
 * (CreatePodTemplate and ReplaceDaemonSetPodNodeNameNodeAffinity). Also which node a daemon
 * pod is for (GetTargetNodeName).
 */
import type { core, DaemonSet, Pod } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { CONTROLLER_REVISION_HASH_LABEL, POD_TEMPLATE_GENERATION_LABEL } from '../../model/well-known.js';
import { NODE_NAME_FIELD } from '../../model/node-affinity.js';
import { daemonSetOwnerRef, templateGenerationOf } from './names.js';
import { withDaemonTolerations } from './tolerations.js';

/** The node affinity of a daemon pod: its template's, with the required terms replaced by "metadata.name In [node]". */
export function nodeNameAffinity(affinity: core.Affinity | undefined, nodeName: string): core.Affinity {
  const required: core.NodeSelector = {
    nodeSelectorTerms: [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }],
  };
  const a = cloneJson(affinity ?? {}) as core.Affinity;
  a.nodeAffinity = { ...(a.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: required };
  return a;
}

/** The template's pod spec bound to `nodeName` with the daemon tolerations: what node fit is checked against (NewPod). */
export function daemonPodSpecFor(ds: DaemonSet, nodeName: string): core.PodSpec {
  const spec = (ds.spec?.template?.spec ?? { containers: [] }) as core.PodSpec;
  return { ...spec, nodeName, tolerations: withDaemonTolerations(spec) };
}

/** The pod to create for `nodeName`, labelled with the current revision `hash`. */
export function podForNode(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const t = cloneJson(ds.spec?.template ?? {}) as core.PodTemplateSpec;
  const spec = (t.spec ?? { containers: [] }) as core.PodSpec;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  const generation = templateGenerationOf(ds);
  if (generation !== undefined) labels[POD_TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(t.metadata ?? {}),
      name: undefined,
      generateName: `${ds.metadata.name ?? ''}-`,
      namespace: ds.metadata.namespace,
      labels,
      ownerReferences: [daemonSetOwnerRef(ds)],
    },
    spec: { ...spec, tolerations: withDaemonTolerations(spec), affinity: nodeNameAffinity(spec.affinity, nodeName) },
  };
}

/**
 * The node a daemon pod is for: spec.nodeName once bound, else the single value of its
 * "metadata.name In" matchFields requirement; undefined when neither says.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === NODE_NAME_FIELD && f.operator === 'In') return f.values?.length === 1 ? f.values[0] : undefined;
    }
  }
  return undefined;
}

/** True when the pod was made from the current revision (hash) or template generation (IsPodUpdated). */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === generation;
  const hashMatches = hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}
