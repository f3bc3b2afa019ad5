/**
 * Discovery documents built from the kind registry, as kube-apiserver serves them: the legacy
 * ones (/api, /apis, /api/v1, /apis/G/V) and the aggregated ones (apidiscovery.k8s.io/v2) that
 * kubectl asks for by its Accept header.
 */
import type { ResourceType } from '../model/resource-type.js';
import { apiVersionOf } from '../model/resource-type.js';

/** The verbs of an ordinary kind. */
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Kinds `kubectl get all` shows (the `all` category), as in Kubernetes. */
const ALL_CATEGORY = new Set([
  'Pod',
  'Service',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

/** Kinds with a scale subresource. */
export const SCALABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** A resource the server itself serves (no stored kind): the access reviews. */
export interface VirtualResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** The review resources the server answers (kubectl auth can-i, kubectl auth whoami). */
export const VIRTUAL_RESOURCES: readonly VirtualResource[] = [
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    kind: 'SubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    plural: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    kind: 'SelfSubjectReview',
    namespaced: false,
    verbs: ['create'],
  },
];

/** A subresource in discovery: its name, the kind it answers with and its verbs. */
interface SubresourceInfo {
  name: string;
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

/** The subresources of a kind. */
export function subresourcesOf(type: Pick<ResourceType, 'group' | 'version' | 'kind' | 'hasStatus'>): SubresourceInfo[] {
  const self = { group: type.group, version: type.version, kind: type.kind };
  const out: SubresourceInfo[] = [];
  if (type.hasStatus) out.push({ name: 'status', kind: self, verbs: ['get', 'patch', 'update'] });
  if (SCALABLE_KINDS.has(type.kind) && type.group === 'apps') {
    out.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  }
  if (type.kind === 'Pod' && type.group === '') {
    out.push({ name: 'log', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] });
    out.push({ name: 'exec', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] });
    out.push({ name: 'attach', kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] });
    out.push({ name: 'portforward', kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] });
    out.push({ name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] });
  }
  if (type.kind === 'ServiceAccount' && type.group === '') {
    out.push({ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] });
  }
  return out;
}

/** The group/versions served, core first, then by group name; each group's versions in order. */
export function groupVersions(types: readonly ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const add = (group: string, version: string) => {
    const versions = groups.get(group) ?? [];
    if (!versions.includes(version)) versions.push(version);
    groups.set(group, versions);
  };
  for (const t of types) add(t.group, t.version);
  for (const v of VIRTUAL_RESOURCES) add(v.group, v.version);
  for (const versions of groups.values()) versions.sort(compareVersions);
  return new Map([...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first. */
function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
}

/** GET /api: the core group's versions. */
export function apiVersionsDocument(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** GET /apis: every named group and its versions. */
export function apiGroupListDocument(types: readonly ResourceType[]): object {
  const groups = [...groupVersions(types).entries()].filter(([g]) => g !== '').map(([g, versions]) => groupDocument(g, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/G: one group. */
export function groupDocument(group: string, versions: string[]): object {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: gvs, preferredVersion: gvs[0] };
}

/** GET /api/v1 or /apis/G/V: the resources of one group/version. */
export function resourceListDocument(types: readonly ResourceType[], group: string, version: string): object {
  const resources: object[] = [];
  for (const t of types) {
    if (t.group !== group || t.version !== version) continue;
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ALL_VERBS,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(ALL_CATEGORY.has(t.kind) ? { categories: ['all'] } : {}),
    });
    for (const s of subresourcesOf(t)) {
      resources.push({
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(s.kind.group !== t.group || s.kind.version !== t.version ? { group: s.kind.group, version: s.kind.version } : {}),
        kind: s.kind.kind,
        verbs: s.verbs,
      });
    }
  }
  for (const v of VIRTUAL_RESOURCES) {
    if (v.group === group && v.version === version) {
      resources.push({ name: v.plural, singularName: v.singular, namespaced: v.namespaced, kind: v.kind, verbs: v.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** The Content-Type of an aggregated discovery response. */
export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when an Accept header asks for aggregated discovery (v2). */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return !!accept && /g=apidiscovery\.k8s\.io;\s*v=v2;\s*as=APIGroupDiscoveryList/.test(accept);
}

/** Aggregated discovery of the core group (`core`) or of every named group. */
export function aggregatedDocument(types: readonly ResourceType[], core: boolean): object {
  const items: object[] = [];
  for (const [group, versions] of groupVersions(types)) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, ...(group === '' ? {} : {}) },
      versions: versions.map((version) => ({ version, resources: aggregatedResources(types, group, version), freshness: 'Current' })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

function aggregatedResources(types: readonly ResourceType[], group: string, version: string): object[] {
  const out: object[] = [];
  for (const t of types) {
    if (t.group !== group || t.version !== version) continue;
    out.push({
      resource: t.plural,
      responseKind: { group, version, kind: t.kind },
      scope: t.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: t.singular,
      verbs: ALL_VERBS,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(ALL_CATEGORY.has(t.kind) ? { categories: ['all'] } : {}),
      subresources: subresourcesOf(t).map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs })),
    });
  }
  for (const v of VIRTUAL_RESOURCES) {
    if (v.group !== group || v.version !== version) continue;
    out.push({
      resource: v.plural,
      responseKind: { group, version, kind: v.kind },
      scope: v.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: v.singular,
      verbs: v.verbs,
    });
  }
  return out;
}

/** The kind a group/version/plural names, if served. */
export function findType(types: readonly ResourceType[], group: string, version: string, plural: string): ResourceType | undefined {
  return types.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/** `apps/v1` for a type (re-exported for the handlers). */
export { apiVersionOf };
