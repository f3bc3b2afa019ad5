/**
 * Per-pod derivations computed once per pod version (pods are frozen snapshots, so a WeakMap
 * keyed by the object is a safe cache): requests, priority, parsed affinity terms.
 */
import type { Pod, core } from '../model/types.js';
import { labelSelectorAsSelector, nothing, type Selector } from '../model/selector.js';
import type { ClusterSnapshot, PodInfo } from './types.js';
import { podRequests } from './resources.js';

/** `namespace/name` of a pod. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** A pod's priority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

const infos = new WeakMap<Pod, PodInfo>();
/**
 * The last pod looked up: Filter and Score plugins ask for the PodInfo of the pod being scheduled
 * once per node, so this one-entry memo spares the WeakMap lookup in the cycle's inner loops.
 */
let last: PodInfo | undefined;

/** Derives a pod's PodInfo; `same` is an earlier version's, whose key and requests are kept. */
function derive(pod: Pod, same: PodInfo | undefined): PodInfo {
  const aff = pod.spec?.affinity;
  const pa = aff?.podAffinity;
  const paa = aff?.podAntiAffinity;
  return {
    pod,
    key: same?.key ?? podKey(pod),
    requests: same?.requests ?? podRequests(pod),
    nonZeroRequests: same?.nonZeroRequests ?? podRequests(pod, true),
    priority: podPriority(pod),
    hasAffinity: !!(
      pa?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
      pa?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
      paa?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
      paa?.preferredDuringSchedulingIgnoredDuringExecution?.length
    ),
    hasRequiredAntiAffinity: !!paa?.requiredDuringSchedulingIgnoredDuringExecution?.length,
  };
}

/** The {@link PodInfo} of a pod, computed once per pod object. */
export function podInfoOf(pod: Pod): PodInfo {
  if (last !== undefined && last.pod === pod) return last;
  let info = infos.get(pod);
  if (!info) {
    info = derive(pod, undefined);
    infos.set(pod, info);
  }
  last = info;
  return info;
}

/**
 * The PodInfo of a newer version of the pod `prev` describes. When both carry the same uid the
 * requests are reused, not computed again: a pod's containers, resources and overhead cannot be
 * updated (the API refuses it), so they are those of every earlier version. Otherwise (another
 * pod of the same name, or no uid) it is {@link podInfoOf}.
 */
export function podInfoOfVersion(pod: Pod, prev: PodInfo | undefined): PodInfo {
  const uid = pod.metadata.uid;
  if (prev === undefined || uid === undefined || prev.pod.metadata.uid !== uid) return podInfoOf(pod);
  let info = infos.get(pod);
  if (!info) {
    info = derive(pod, prev);
    infos.set(pod, info);
  }
  return info;
}

/**
 * The PodInfo of `assumed`, a copy of `info.pod` that differs only in spec.nodeName (the pod as
 * the scheduler assumes it bound): everything derived is the same, so nothing is computed again.
 */
export function assumedPodInfo(info: PodInfo, assumed: Pod): PodInfo {
  let out = infos.get(assumed);
  if (!out) {
    out = { ...info, pod: assumed };
    infos.set(assumed, out);
  }
  return out;
}

/** A pod (anti-)affinity term, parsed. */
export interface AffinityTerm {
  readonly selector: Selector;
  /** Explicit namespaces; with no namespaceSelector and none listed, the pod's own. */
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: Selector | undefined;
  readonly topologyKey: string;
  readonly weight: number;
}

/** The parsed affinity terms of a pod. */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
}

/** The selector that selects nothing (an absent labelSelector of an affinity term). */
export const NOTHING_SELECTOR: Selector = nothing();

function parseTerm(pod: Pod, term: core.PodAffinityTerm, weight: number): AffinityTerm {
  const ns = new Set(term.namespaces ?? []);
  if (ns.size === 0 && !term.namespaceSelector) ns.add(pod.metadata.namespace ?? 'default');
  // A term without a labelSelector selects no pod, as in Kubernetes.
  let selector = labelSelectorAsSelector(term.labelSelector, 'labelSelector');
  // matchLabelKeys / mismatchLabelKeys merge the pod's own label values into the selector.
  const extra: { key: string; operator: 'In' | 'NotIn'; values: string[] }[] = [];
  for (const k of term.matchLabelKeys ?? []) {
    const v = pod.metadata.labels?.[k];
    if (v !== undefined) extra.push({ key: k, operator: 'In', values: [v] });
  }
  for (const k of term.mismatchLabelKeys ?? []) {
    const v = pod.metadata.labels?.[k];
    if (v !== undefined) extra.push({ key: k, operator: 'NotIn', values: [v] });
  }
  if (extra.length > 0 && term.labelSelector) {
    const base = term.labelSelector ?? {};
    selector = labelSelectorAsSelector({ ...base, matchExpressions: [...(base.matchExpressions ?? []), ...extra] });
  }
  return {
    selector,
    namespaces: ns,
    namespaceSelector: term.namespaceSelector ? labelSelectorAsSelector(term.namespaceSelector, 'namespaceSelector') : undefined,
    topologyKey: term.topologyKey,
    weight,
  };
}

const terms = new WeakMap<Pod, PodAffinityTerms>();
const NO_TERMS: PodAffinityTerms = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };

/** The parsed (anti-)affinity terms of a pod, computed once per pod object. */
export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  if (!podInfoOf(pod).hasAffinity) return NO_TERMS;
  let t = terms.get(pod);
  if (!t) {
    const pa = pod.spec?.affinity?.podAffinity;
    const paa = pod.spec?.affinity?.podAntiAffinity;
    t = {
      requiredAffinity: (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => parseTerm(pod, x, 1)),
      requiredAntiAffinity: (paa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => parseTerm(pod, x, 1)),
      preferredAffinity: (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x) =>
        parseTerm(pod, x.podAffinityTerm, x.weight),
      ),
      preferredAntiAffinity: (paa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x) =>
        parseTerm(pod, x.podAffinityTerm, x.weight),
      ),
    };
    terms.set(pod, t);
  }
  return t;
}

/** True when `target` is selected by the term (namespace and labels), as k8s' AffinityTerm.Matches. */
export function termMatches(term: AffinityTerm, target: Pod, snapshot: ClusterSnapshot | undefined): boolean {
  const ns = target.metadata.namespace ?? 'default';
  let nsOk = term.namespaces.has(ns);
  if (!nsOk && term.namespaceSelector) {
    nsOk = term.namespaceSelector.matches(snapshot?.namespaceLabels(ns) ?? (term.namespaceSelector.isEmpty() ? {} : undefined));
  }
  return nsOk && term.selector.matches(target.metadata.labels);
}
