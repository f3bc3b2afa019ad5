/** Validation of a PodSpec: containers, unique names, volumes, policies, node selector. */
import type { core, StatusCause } from '../types.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, validateLabels } from '../names.js';
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors.js';
import { isObject, validateNonNegative, validateObjectList, validatePositive } from './common.js';
import { validateContainer } from './container.js';
import { volumeFileModeErrors } from './file-modes.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** Options for validating a pod spec. */
export interface PodSpecRules {
  /** restartPolicy values allowed here (a workload template allows only Always; a Job OnFailure/Never). */
  restartPolicies?: readonly string[];
  /**
   * Volume names that containers may mount besides the spec's own volumes: a StatefulSet's
   * volumeClaimTemplates, which its controller adds to each pod.
   */
  claimTemplateVolumes?: readonly string[];
}

function validateVolumes(volumes: unknown, field: string, names: Set<string>): StatusCause[] {
  return validateObjectList<core.Volume>(volumes, field, (v, at, causes) => {
    if (!v.name) causes.push(required(`${at}.name`));
    else {
      causes.push(...dns1123LabelErrors(v.name).map((m) => invalid(`${at}.name`, v.name, m)));
      if (names.has(v.name)) causes.push(duplicate(`${at}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name' && (v as Record<string, unknown>)[k] != null);
    if (sources.length === 0) causes.push(required(at, 'must specify a volume type'));
    else if (sources.length > 1) causes.push(forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.configMap && !v.configMap.name) causes.push(required(`${at}.configMap.name`));
    if (v.secret && !v.secret.secretName) causes.push(required(`${at}.secret.secretName`));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) causes.push(required(`${at}.persistentVolumeClaim.claimName`));
    if (v.hostPath && !v.hostPath.path) causes.push(required(`${at}.hostPath.path`));
    causes.push(...volumeFileModeErrors(v, at));
  });
}

/** The pod's terminationGracePeriodSeconds as the sleep action is checked against: 30 when unset (the default), as Kubernetes. */
function gracePeriod(s: core.PodSpec): number {
  const g = s.terminationGracePeriodSeconds;
  return typeof g === 'number' ? g : 30;
}

/** Checks a PodSpec at `field` (e.g. `spec` for a Pod, `spec.template.spec` for a Deployment). */
export function validatePodSpec(spec: unknown, field: string, rules: PodSpecRules = {}): StatusCause[] {
  if (spec === undefined || spec === null) return [required(field)];
  if (!isObject(spec)) return [invalid(field, spec, 'must be an object')];
  const s = spec as unknown as core.PodSpec;
  const causes: StatusCause[] = [];
  const volumes = new Set<string>();
  causes.push(...validateVolumes(s.volumes, `${field}.volumes`, volumes));
  for (const name of rules.claimTemplateVolumes ?? []) volumes.add(name);
  const names = new Set<string>();
  const checkList = (list: unknown, key: 'containers' | 'initContainers') => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) return void causes.push(invalid(`${field}.${key}`, list, 'must be a list'));
    list.forEach((c, i) => {
      const at = `${field}.${key}[${i}]`;
      causes.push(...validateContainer(c, at, { volumes, init: key === 'initContainers', gracePeriodSeconds: gracePeriod(s) }));
      const name = isObject(c) ? c.name : undefined;
      if (typeof name === 'string' && name) {
        if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
        names.add(name);
      }
    });
  };
  checkList(s.initContainers, 'initContainers');
  if (!Array.isArray(s.containers) || s.containers.length === 0) causes.push(required(`${field}.containers`));
  checkList(s.containers, 'containers');
  const allowed = rules.restartPolicies ?? RESTART_POLICIES;
  if (s.restartPolicy === undefined || s.restartPolicy === '') {
    if (rules.restartPolicies) causes.push(required(`${field}.restartPolicy`, `valid values: ${allowed.map((v) => `"${v}"`).join(', ')}`));
  } else if (!RESTART_POLICIES.includes(s.restartPolicy)) {
    causes.push(notSupported(`${field}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  } else if (!allowed.includes(s.restartPolicy)) {
    causes.push(notSupported(`${field}.restartPolicy`, s.restartPolicy, allowed));
  }
  if (s.dnsPolicy !== undefined && !DNS_POLICIES.includes(s.dnsPolicy))
    causes.push(notSupported(`${field}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  if (s.dnsPolicy === 'None' && !s.dnsConfig)
    causes.push(required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  causes.push(...validateNonNegative(s.terminationGracePeriodSeconds, `${field}.terminationGracePeriodSeconds`));
  causes.push(...validatePositive(s.activeDeadlineSeconds, `${field}.activeDeadlineSeconds`));
  if (s.nodeSelector !== undefined) causes.push(...validateLabels(s.nodeSelector, `${field}.nodeSelector`));
  // ValidateNodeName: a node name is a DNS subdomain.
  if (s.nodeName) causes.push(...dns1123SubdomainErrors(s.nodeName).map((m) => invalid(`${field}.nodeName`, s.nodeName, m)));
  if (s.hostname) causes.push(...dns1123LabelErrors(s.hostname).map((m) => invalid(`${field}.hostname`, s.hostname, m)));
  if (s.subdomain) causes.push(...dns1123LabelErrors(s.subdomain).map((m) => invalid(`${field}.subdomain`, s.subdomain, m)));
  (s.tolerations ?? []).forEach((t, i) => {
    const at = `${field}.tolerations[${i}]`;
    if (t.operator !== undefined && !['Exists', 'Equal'].includes(t.operator))
      causes.push(notSupported(`${at}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.operator === 'Exists' && t.value)
      causes.push(invalid(`${at}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      causes.push(notSupported(`${at}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
  });
  return causes;
}
