/**
 * What an object charges to a ResourceQuota, as Kubernetes' quota evaluators compute it
 * (pkg/quota/v1/evaluator/core and the generic object-count evaluator): the usage of one object,
 * whether a quota's scopes match it, the resources a quota tracks for it, and the per-container
 * constraints a cpu/memory quota imposes on pods. Shared by the ResourceQuota admission plugin
 * (which charges `status.used`) and the quota controller (which recalculates it).
 */
import type { core } from './types.js';
import type { KubeObject } from './types.js';
import { Quantity, parseQuantity } from './quantity.js';

/** A resource list as exact quantities. */
export type Usage = Map<string, Quantity>;

/** The group and plural of the object's kind, as quota names count them. */
export interface QuotaResource {
  group: string;
  plural: string;
}

/** The legacy object-count names (`pods` aside, which is a compute resource). */
const LEGACY_COUNTS: Readonly<Record<string, string>> = {
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

/** The names a pod-scoped quota (Terminating, NotTerminating, ...) may track. */
const POD_COMPUTE = new Set(['pods', 'cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
/** The quota names that force every container to state the matching request or limit. */
const CONSTRAINED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** `count/<plural>` (core) or `count/<plural>.<group>`. */
export function countName(r: QuotaResource): string {
  return r.group ? `count/${r.plural}.${r.group}` : `count/${r.plural}`;
}

function one(): Quantity {
  return Quantity.fromValue(1);
}

function add(into: Usage, name: string, q: Quantity): void {
  const cur = into.get(name);
  into.set(name, cur ? cur.add(q) : q);
}

function isCorePod(r: QuotaResource): boolean {
  return r.group === '' && r.plural === 'pods';
}

/** True when a pod no longer counts against compute quota (Succeeded or Failed, as QuotaV1Pod). */
export function isTerminalPod(pod: core.Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

type QList = Record<string, string | number> | undefined;

/** A container's requests, with each limit standing in for a missing request (API defaulting). */
function containerRequests(c: core.Container): Usage {
  const out: Usage = new Map();
  const limits = c.resources?.limits as QList;
  const requests = c.resources?.requests as QList;
  for (const [k, v] of Object.entries({ ...limits, ...requests })) out.set(k, parseQuantity(v));
  return out;
}

function containerLimits(c: core.Container): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries((c.resources?.limits as QList) ?? {})) out.set(k, parseQuantity(v));
  return out;
}

function maxInto(into: Usage, other: Usage): void {
  for (const [k, v] of other) {
    const cur = into.get(k);
    if (!cur || v.cmp(cur) > 0) into.set(k, v);
  }
}

function addAll(into: Usage, other: Usage): Usage {
  for (const [k, v] of other) add(into, k, v);
  return into;
}

/** A pod's requests or limits as Kubernetes' PodRequests/PodLimits (sidecars summed, init steps as a floor, overhead added). */
function podResources(spec: core.PodSpec, of: (c: core.Container) => Usage): Usage {
  const sum: Usage = new Map();
  for (const c of spec.containers ?? []) addAll(sum, of(c));
  const sidecars: Usage = new Map();
  const initMax: Usage = new Map();
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addAll(sidecars, of(c));
      maxInto(initMax, sidecars);
    } else {
      maxInto(initMax, addAll(addAll(new Map(), sidecars), of(c)));
    }
  }
  addAll(sum, sidecars);
  maxInto(sum, initMax);
  for (const [k, v] of Object.entries((spec.overhead as QList) ?? {})) add(sum, k, parseQuantity(v));
  return sum;
}

function podUsage(pod: core.Pod, into: Usage): void {
  if (isTerminalPod(pod)) return;
  into.set('pods', one());
  const spec = pod.spec ?? ({ containers: [] } as core.PodSpec);
  for (const [k, v] of podResources(spec, containerRequests)) {
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') add(into, k, v);
    add(into, `requests.${k}`, v);
  }
  for (const [k, v] of podResources(spec, containerLimits)) {
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') add(into, `limits.${k}`, v);
  }
}

/** The StorageClass a claim names (spec, else the beta annotation), or ''. */
function claimClass(pvc: core.PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

function pvcUsage(pvc: core.PersistentVolumeClaim, into: Usage): void {
  into.set('persistentvolumeclaims', one());
  const cls = claimClass(pvc);
  if (cls) into.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one());
  const storage = (pvc.spec?.resources?.requests as QList)?.storage;
  if (storage === undefined) return;
  const q = parseQuantity(storage);
  into.set('requests.storage', q);
  if (cls) into.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, q);
}

function serviceUsage(svc: core.Service, into: Usage): void {
  into.set('services', one());
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = svc.spec?.ports?.length ?? 0;
  if (type === 'NodePort') into.set('services.nodeports', Quantity.fromValue(ports));
  if (type === 'LoadBalancer') {
    into.set('services.loadbalancers', one());
    const nodePorts = svc.spec?.allocateLoadBalancerNodePorts === false ? 0 : ports;
    into.set('services.nodeports', Quantity.fromValue(nodePorts));
  }
}

/**
 * Everything an object charges: `count/<resource>` always (terminal pods included, as Kubernetes'
 * object count tracks every stored object), the legacy count name, and the compute or storage
 * resources of pods, claims and services.
 */
export function objectUsage(obj: KubeObject, r: QuotaResource): Usage {
  const out: Usage = new Map([[countName(r), one()]]);
  if (r.group !== '') return out;
  if (r.plural === 'pods') podUsage(obj as core.Pod, out);
  else if (r.plural === 'persistentvolumeclaims') pvcUsage(obj as core.PersistentVolumeClaim, out);
  else if (r.plural === 'services') serviceUsage(obj as core.Service, out);
  else if (LEGACY_COUNTS[r.plural]) out.set(LEGACY_COUNTS[r.plural], one());
  return out;
}

/** True when a pod's QoS class is BestEffort (no cpu or memory request or limit in any container). */
function isBestEffort(pod: core.Pod): boolean {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) => {
    const keys = [...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})];
    return !keys.some((k) => k === 'cpu' || k === 'memory');
  });
}

function hasCrossNamespaceAffinity(pod: core.Pod): boolean {
  const a = pod.spec?.affinity;
  const terms = [
    ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
}

/** A quota's scopes as selector requirements: `spec.scopes` (Exists) and `spec.scopeSelector`. */
export function quotaScopes(quota: core.ResourceQuota): core.ScopedResourceSelectorRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

function podMatchesScope(pod: core.Pod, req: core.ScopedResourceSelectorRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
    case 'NotTerminating':
      return pod.spec?.activeDeadlineSeconds === undefined || pod.spec.activeDeadlineSeconds < 0;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return hasCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName ?? '';
      const values = req.values ?? [];
      if (req.operator === 'In') return values.includes(name);
      if (req.operator === 'NotIn') return !values.includes(name);
      if (req.operator === 'Exists') return name !== '';
      if (req.operator === 'DoesNotExist') return name === '';
      return false;
    }
    default:
      return false;
  }
}

/** The names of `hard` this quota tracks for objects of the resource (its evaluator's MatchingResources). */
export function trackedResources(quota: core.ResourceQuota, r: QuotaResource): string[] {
  const hard = Object.keys((quota.spec?.hard as QList) ?? {});
  const scopes = quotaScopes(quota);
  const count = countName(r);
  return hard.filter((name) => {
    if (name === count) return true;
    if (r.group !== '') return false;
    switch (r.plural) {
      case 'pods':
        if (scopes.some((s) => s.scopeName === 'BestEffort')) return name === 'pods';
        if (scopes.length) return POD_COMPUTE.has(name);
        return POD_COMPUTE.has(name) || name === 'ephemeral-storage' || name.startsWith('requests.') || name === 'limits.ephemeral-storage';
      case 'persistentvolumeclaims':
        return (
          !scopes.length &&
          (name === 'persistentvolumeclaims' ||
            name === 'requests.storage' ||
            (name.includes(STORAGE_CLASS_SUFFIX) && (name.endsWith('/requests.storage') || name.endsWith('/persistentvolumeclaims'))))
        );
      case 'services':
        return !scopes.length && (name === 'services' || name === 'services.nodeports' || name === 'services.loadbalancers');
      default:
        return !scopes.length && LEGACY_COUNTS[r.plural] === name;
    }
  });
}

/** True when the quota applies to the object: every scope matches (scopes select pods only). */
export function quotaMatches(quota: core.ResourceQuota, obj: KubeObject, r: QuotaResource): boolean {
  const scopes = quotaScopes(quota);
  if (scopes.length && !isCorePod(r)) return false;
  if (!scopes.every((s) => podMatchesScope(obj as core.Pod, s))) return false;
  return trackedResources(quota, r).length > 0;
}

/**
 * The per-container constraint of a quota on cpu or memory, as the pod evaluator's Constraints:
 * `must specify limits.cpu for: a,b; requests.memory for: a`, or undefined when satisfied.
 */
export function podConstraintError(pod: core.Pod, tracked: readonly string[]): string | undefined {
  const required = tracked.filter((n) => CONSTRAINED.has(n));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const requests = containerRequests(c);
    const limits = containerLimits(c);
    for (const name of required) {
      const [kind, res] = name.includes('.') ? (name.split('.') as [string, string]) : ['requests', name];
      const has = kind === 'limits' ? limits.has(res) : requests.has(res);
      if (!has) {
        if (!missing.has(name)) missing.set(name, new Set());
        missing.get(name)!.add(c.name);
      }
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...missing.get(name)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** Reads a resource list (`status.used`, `spec.hard`) as quantities. */
export function toUsage(list: QList): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries(list ?? {})) out.set(k, parseQuantity(v));
  return out;
}

/** A usage as a resource list of canonical quantity strings. */
export function fromUsage(usage: Usage): Record<string, string> {
  return Object.fromEntries([...usage].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, v.toString()]));
}

/** `a=1,b=2` sorted by name, as the quota plugin's prettyPrint. */
export function prettyUsage(usage: Usage): string {
  return Object.entries(fromUsage(usage))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The usage restricted to some names; names missing from `usage` are zero when `zero` is set. */
export function maskUsage(usage: Usage, names: Iterable<string>, zero = false): Usage {
  const out: Usage = new Map();
  for (const n of names) {
    const q = usage.get(n);
    if (q) out.set(n, q);
    else if (zero) out.set(n, new Quantity(0n));
  }
  return out;
}

/** The sum of the usage of many objects, restricted to `names` (each present, zero when unused). */
export function sumUsage(usages: Iterable<Usage>, names: readonly string[]): Usage {
  const out: Usage = maskUsage(new Map(), names, true);
  for (const u of usages)
    for (const n of names) {
      const q = u.get(n);
      if (q) out.set(n, out.get(n)!.add(q));
    }
  return out;
}
