/**
 * Kinds tugboat stores and validates as Kubernetes 1.30 does without acting on them (see
 * stored-only.ts for the warning each gets): ServiceAccount, LimitRange, ResourceQuota (core/v1),
 * NetworkPolicy (networking.k8s.io/v1) and APIService (apiregistration.k8s.io/v1).
 */
import type * as core from 'kubernetes-types/core/v1.js';
import type * as networking from 'kubernetes-types/networking/v1.js';
import type { KubeObject, StatusCause, Typed } from '../types.js';
import { defineKind } from './define-kind.js';
import { validateLabels } from '../names.js';
import { invalid, notSupported, required } from '../validation/field-errors.js';
import { isObject, validateObjectList } from '../validation/common.js';
import { parseQuantity } from '../quantity.js';

/** A ServiceAccount (v1). */
export type ServiceAccount = Typed<core.ServiceAccount>;
/** A LimitRange (v1). */
export type LimitRange = Typed<core.LimitRange>;
/** A ResourceQuota (v1). */
export type ResourceQuota = Typed<core.ResourceQuota>;
/** A NetworkPolicy (networking.k8s.io/v1). */
export type NetworkPolicy = Typed<networking.NetworkPolicy>;
/** An APIService (apiregistration.k8s.io/v1): kube-aggregator's registration of an API served elsewhere. */
export interface APIService extends KubeObject {
  spec?: {
    group?: string;
    version?: string;
    service?: { namespace?: string; name?: string; port?: number } | null;
    groupPriorityMinimum?: number;
    versionPriority?: number;
    insecureSkipTLSVerify?: boolean;
    caBundle?: string;
  };
}

const coreV1 = { group: '', version: 'v1', namespaced: true, nameFormat: 'dns1123-subdomain' } as const;

/** Causes of a map of quantities (`spec.hard`, a limit's `max`). */
function quantityMap(map: unknown, field: string): StatusCause[] {
  if (map === undefined || map === null) return [];
  if (!isObject(map)) return [invalid(field, map, 'must be a map of quantities')];
  const causes: StatusCause[] = [];
  for (const [k, v] of Object.entries(map)) {
    try {
      const q = parseQuantity(v as string | number);
      if (q.sign() < 0) causes.push(invalid(`${field}[${k}]`, v, 'must be greater than or equal to 0'));
    } catch {
      causes.push(
        invalid(`${field}[${k}]`, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
      );
    }
  }
  return causes;
}

/** ServiceAccount (v1). */
export const ServiceAccountType = defineKind<ServiceAccount>({
  ...coreV1,
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  hasStatus: false,
});

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

/** LimitRange (v1): ValidateLimitRange's types and quantities. */
export const LimitRangeType = defineKind<LimitRange>(
  { ...coreV1, kind: 'LimitRange', plural: 'limitranges', singular: 'limitrange', shortNames: ['limits'], hasStatus: false },
  {
    validate: (lr) =>
      validateObjectList<core.LimitRangeItem>(lr.spec?.limits, 'spec.limits', (item, at, causes) => {
        if (!item.type) causes.push(required(`${at}.type`));
        else if (!LIMIT_TYPES.includes(item.type)) causes.push(notSupported(`${at}.type`, item.type, LIMIT_TYPES));
        for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
          causes.push(...quantityMap(item[k], `${at}.${k}`));
        }
      }),
  },
);

/** ResourceQuota (v1): the quantities of spec.hard and the scopes. */
export const ResourceQuotaType = defineKind<ResourceQuota>(
  { ...coreV1, kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota', shortNames: ['quota'], hasStatus: true },
  {
    validate: (rq) => {
      const scopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
      const causes = quantityMap(rq.spec?.hard, 'spec.hard');
      (rq.spec?.scopes ?? []).forEach((s, i) => {
        if (!scopes.includes(s)) causes.push(notSupported(`spec.scopes[${i}]`, s, scopes));
      });
      return causes;
    },
  },
);

const POLICY_TYPES = ['Ingress', 'Egress'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function peerCauses(rules: unknown, field: string, peers: 'from' | 'to'): StatusCause[] {
  return validateObjectList<Record<string, unknown>>(rules, field, (rule, at, causes) => {
    causes.push(
      ...validateObjectList<core.ServicePort>(rule.ports, `${at}.ports`, (p, pat, c) => {
        if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) c.push(notSupported(`${pat}.protocol`, p.protocol, PROTOCOLS));
      }),
    );
    causes.push(
      ...validateObjectList<networking.NetworkPolicyPeer>(rule[peers], `${at}.${peers}`, (peer, pat, c) => {
        if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) c.push(required(pat, 'must specify a peer'));
        if (peer.ipBlock && !peer.ipBlock.cidr) c.push(required(`${pat}.ipBlock.cidr`));
        if (peer.podSelector) c.push(...validateLabels(peer.podSelector.matchLabels, `${pat}.podSelector.matchLabels`));
      }),
    );
  });
}

/** NetworkPolicy (networking.k8s.io/v1): policy types, ports' protocols, peers; not enforced (stored-only.ts). */
export const NetworkPolicyType = defineKind<NetworkPolicy>(
  {
    ...coreV1,
    group: 'networking.k8s.io',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    hasStatus: false,
  },
  {
    validate: (np) => {
      const spec = np.spec;
      if (!isObject(spec)) return [required('spec')];
      const causes = validateLabels(spec.podSelector?.matchLabels, 'spec.podSelector.matchLabels');
      (spec.policyTypes ?? []).forEach((t, i) => {
        if (!POLICY_TYPES.includes(t)) causes.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
      });
      causes.push(...peerCauses(spec.ingress, 'spec.ingress', 'from'));
      causes.push(...peerCauses(spec.egress, 'spec.egress', 'to'));
      return causes;
    },
  },
);

/** APIService (apiregistration.k8s.io/v1, cluster-scoped): named `<version>.<group>`, with its priorities (ValidateAPIService). */
export const APIServiceType = defineKind<APIService>(
  {
    group: 'apiregistration.k8s.io',
    version: 'v1',
    namespaced: false,
    nameFormat: 'path-segment',
    kind: 'APIService',
    plural: 'apiservices',
    singular: 'apiservice',
    hasStatus: true,
  },
  {
    validate: (svc) => {
      const spec = svc.spec;
      if (!isObject(spec)) return [required('spec')];
      const causes: StatusCause[] = [];
      const name = svc.metadata.name ?? '';
      const expected = spec.group ? `${spec.version}.${spec.group}` : spec.version;
      if (name !== expected) causes.push(invalid('metadata.name', name, `must be ${expected}`));
      if (!spec.version) causes.push(required('spec.version'));
      const gp = spec.groupPriorityMinimum;
      if (typeof gp !== 'number' || gp <= 0 || gp > 20000)
        causes.push(invalid('spec.groupPriorityMinimum', gp, 'must be positive and less than 20000'));
      const vp = spec.versionPriority;
      if (typeof vp !== 'number' || vp <= 0 || vp > 1000)
        causes.push(invalid('spec.versionPriority', vp, 'must be positive and less than 1000'));
      if (spec.service && (!spec.service.namespace || !spec.service.name))
        causes.push(required('spec.service', 'namespace and name are required'));
      return causes;
    },
  },
);
