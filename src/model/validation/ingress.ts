/** Validation of Ingresses: rules, hosts, paths, pathType, backends, TLS. */
import type { networking, StatusCause } from '../types.js';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../names.js';
import { invalid, notSupported, required } from './field-errors.js';
import { ianaSvcNameErrors, isObject, validatePortNumber } from './common.js';
import { isIP } from './service.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateHost(host: string, field: string): StatusCause[] {
  if (isIP(host)) return [invalid(field, host, 'must be a DNS name, not an IP address')];
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (host.includes('*') && !host.startsWith('*.')) return [invalid(field, host, "a wildcard DNS-1123 subdomain must start with '*.'")];
  return dns1123SubdomainErrors(name).map((m) => invalid(field, host, m));
}

/** Checks an IngressBackend at `field`: exactly one of service and resource; service name and port. */
export function validateIngressBackend(b: networking.IngressBackend | undefined, field: string): StatusCause[] {
  if (!isObject(b)) return [required(field)];
  const causes: StatusCause[] = [];
  if (b.service && b.resource) return [invalid(field, '', 'cannot set both resource and service backends')];
  if (!b.service && !b.resource) return [invalid(field, '', 'resource or service backend is required')];
  if (b.service) {
    const at = `${field}.service`;
    if (!b.service.name) causes.push(required(`${at}.name`));
    else causes.push(...dns1123LabelErrors(b.service.name).map((m) => invalid(`${at}.name`, b.service?.name, m)));
    const port = b.service.port;
    const hasName = !!port?.name;
    const hasNumber = port?.number !== undefined && port.number !== 0;
    if (hasName && hasNumber) causes.push(invalid(`${at}.port`, '', 'cannot set both port name & port number'));
    else if (hasName) causes.push(...ianaSvcNameErrors(port.name as string).map((m) => invalid(`${at}.port.name`, port?.name, m)));
    else if (hasNumber) causes.push(...validatePortNumber(port.number, `${at}.port.number`));
    else causes.push(invalid(`${at}.port`, '', 'port name or number is required'));
  }
  if (b.resource) {
    if (!b.resource.kind) causes.push(required(`${field}.resource.kind`));
    if (!b.resource.name) causes.push(required(`${field}.resource.name`));
  }
  return causes;
}

/** Checks an Ingress's spec. */
export function validateIngress(ing: { spec?: networking.IngressSpec }): StatusCause[] {
  const spec = ing.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const rules = spec.rules ?? [];
  if (!spec.defaultBackend && rules.length === 0) causes.push(invalid('spec', '', 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) causes.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  if (spec.ingressClassName !== undefined) {
    causes.push(...dns1123SubdomainErrors(spec.ingressClassName).map((m) => invalid('spec.ingressClassName', spec.ingressClassName, m)));
  }
  rules.forEach((r, i) => {
    const at = `spec.rules[${i}]`;
    if (r.host) causes.push(...validateHost(r.host, `${at}.host`));
    if (!r.http) return;
    const paths = r.http.paths;
    if (!Array.isArray(paths) || paths.length === 0) return void causes.push(required(`${at}.http.paths`));
    paths.forEach((p, j) => {
      const pat = `${at}.http.paths[${j}]`;
      if (!p.pathType) causes.push(required(`${pat}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) causes.push(notSupported(`${pat}.pathType`, p.pathType, PATH_TYPES));
      if (p.path !== undefined && p.path !== '' && !p.path.startsWith('/'))
        causes.push(invalid(`${pat}.path`, p.path, 'must be an absolute path'));
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !p.path)
        causes.push(invalid(`${pat}.path`, p.path ?? '', 'must be an absolute path'));
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && p.path && /\/\/|\/\.\.?(\/|$)/.test(p.path)) {
        causes.push(invalid(`${pat}.path`, p.path, "must not contain '//', '/./' or '/../'"));
      }
      causes.push(...validateIngressBackend(p.backend, `${pat}.backend`));
    });
  });
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => causes.push(...validateHost(h, `spec.tls[${i}].hosts[${j}]`)));
    if (t.secretName)
      causes.push(...dns1123SubdomainErrors(t.secretName).map((m) => invalid(`spec.tls[${i}].secretName`, t.secretName, m)));
  });
  return causes;
}
