/**
 * Fields Kubernetes knows but tugboat accepts and ignores. Reported as warnings so a manifest
 * never silently loses meaning.
 */

/** PodSpec fields tugboat ignores (relative to a pod spec). */
export const IGNORED_POD_SPEC_FIELDS: readonly string[] = [
  'runtimeClassName',
  'readinessGates',
  'overhead',
  'os',
  'resourceClaims',
  'hostIPC',
  'hostPID',
  'hostUsers',
  'shareProcessNamespace',
  'setHostnameAsFQDN',
];

/** Container fields tugboat ignores (relative to a container). */
export const IGNORED_CONTAINER_FIELDS: readonly string[] = [
  'volumeDevices',
  'resizePolicy',
  'securityContext.seLinuxOptions',
  'securityContext.appArmorProfile',
];

/** Values that mean "off", for which no warning is given. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  hostIPC: false,
  hostPID: false,
  hostUsers: true,
  shareProcessNamespace: false,
  setHostnameAsFQDN: false,
};

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/**
 * Fields of a kind's own spec that Kubernetes 1.30 has behind alpha feature gates (off by
 * default, so its API server drops them) and tugboat ignores too: each with the value that
 * means "as if unset" (no warning), if any.
 */
const ALPHA_FIELDS: Readonly<Record<string, readonly { path: string; unset?: unknown }[]>> = {
  Job: [{ path: 'spec.successPolicy' }, { path: 'spec.managedBy', unset: 'kubernetes.io/job-controller' }],
  CronJob: [
    { path: 'spec.jobTemplate.spec.successPolicy' },
    { path: 'spec.jobTemplate.spec.managedBy', unset: 'kubernetes.io/job-controller' },
  ],
};

function alphaFields(kind: string, obj: unknown): string[] {
  const out: string[] = [];
  for (const f of ALPHA_FIELDS[kind] ?? []) {
    const v = get(obj, f.path);
    if (v !== undefined && v !== null && v !== f.unset) {
      out.push(`${f.path}: alpha in Kubernetes 1.30 (feature gate off by default), not implemented by tugboat, ignored`);
    }
  }
  return out;
}

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * The fields of `obj` that Kubernetes defines but tugboat ignores, as warnings
 * (`spec.template.spec.dnsConfig: not implemented by tugboat, ignored`).
 */
export function notImplementedFields(kind: string, obj: unknown): string[] {
  const alpha = alphaFields(kind, obj);
  const at = POD_SPEC_PATHS[kind];
  if (!at) return alpha;
  const spec = get(obj, at);
  if (typeof spec !== 'object' || spec === null) return alpha;
  const found: string[] = [];
  for (const f of IGNORED_POD_SPEC_FIELDS) {
    const v = get(spec, f);
    if (v !== undefined && v !== null && v !== DEFAULTS[f]) found.push(`${at}.${f}`);
  }
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = (spec as Record<string, unknown>)[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      for (const f of IGNORED_CONTAINER_FIELDS) if (get(c, f) !== undefined) found.push(`${at}.${list}[${i}].${f}`);
    });
  }
  return [...alpha, ...found.map((p) => `${p}: not implemented by tugboat, ignored`)];
}
