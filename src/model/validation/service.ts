/** Validation of Services: type, ports, selector, session affinity, ExternalName. */
import type { core, StatusCause } from '../types.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, validateLabels } from '../names.js';
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors.js';
import { isObject, validatePortNumOrName, validatePortNumber } from './common.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IPV4_RE = /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

/** True for an IPv4 or (loosely checked) IPv6 address. */
export function isIP(value: string): boolean {
  return IPV4_RE.test(value) || (/^[0-9a-fA-F:.]+$/.test(value) && value.includes(':'));
}

/** Checks a Service's spec. */
export function validateService(svc: { spec?: core.ServiceSpec }): StatusCause[] {
  const spec = svc.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const type = spec.type ?? 'ClusterIP';
  if (!TYPES.includes(type)) causes.push(notSupported('spec.type', type, TYPES));
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!spec.externalName) causes.push(required('spec.externalName'));
    else
      causes.push(
        ...dns1123SubdomainErrors(spec.externalName.replace(/\.$/, '')).map((m) => invalid('spec.externalName', spec.externalName, m)),
      );
  }
  if (spec.clusterIP && spec.clusterIP !== 'None' && !isIP(spec.clusterIP)) {
    causes.push(invalid('spec.clusterIP', spec.clusterIP, "must be empty, 'None', or a valid IP address"));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    causes.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  const ports = spec.ports ?? [];
  if (!Array.isArray(ports)) return [...causes, invalid('spec.ports', ports, 'must be a list')];
  if (ports.length === 0 && type !== 'ExternalName' && !headless) causes.push(required('spec.ports'));
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (!isObject(p)) return void causes.push(invalid(at, p, 'must be an object'));
    if (ports.length > 1 && !p.name) causes.push(required(`${at}.name`));
    if (p.name) {
      causes.push(...dns1123LabelErrors(p.name).map((m) => invalid(`${at}.name`, p.name, m)));
      if (names.has(p.name)) causes.push(duplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (p.port === undefined) causes.push(required(`${at}.port`));
    else causes.push(...validatePortNumber(p.port, `${at}.port`));
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (seen.has(key)) causes.push(duplicate(at, { port: p.port, protocol: p.protocol ?? 'TCP' }));
    seen.add(key);
    if (p.targetPort !== undefined && p.targetPort !== 0) causes.push(...validatePortNumOrName(p.targetPort, `${at}.targetPort`));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        causes.push(forbidden(`${at}.nodePort`, `may not be used when \`type\` is '${type}'`));
      else causes.push(...validatePortNumber(p.nodePort, `${at}.nodePort`));
    }
  });
  if (spec.selector !== undefined) causes.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity !== undefined && !['ClientIP', 'None'].includes(spec.sessionAffinity)) {
    causes.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  }
  for (const k of ['externalTrafficPolicy', 'internalTrafficPolicy'] as const) {
    const v = spec[k];
    if (v !== undefined && !['Cluster', 'Local'].includes(v)) causes.push(notSupported(`spec.${k}`, v, ['Cluster', 'Local']));
  }
  return causes;
}
