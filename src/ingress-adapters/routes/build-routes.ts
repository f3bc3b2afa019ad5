/**
 * The route model of one adapter, computed (purely) from the Ingresses of its IngressClass, their
 * Services' EndpointSlices and their TLS Secrets. Where two Ingresses give the same host and
 * path, the older one wins, as ingress-nginx settles it; each misconfiguration is a problem
 * reported on its Ingress.
 */
import type { Ingress, IngressClass, Secret } from '../../model/types.js';
import type { HostRoutes, IngressRoutes, RoutePath, TlsCertificate } from '../types.js';
import { routeOptionsOf } from './annotations.js';
import { resolveBackend, type BackendSources } from './backends.js';
import { adapterClass, classOfIngress, compareCreation } from './ingress-class.js';
import { compareHosts, comparePaths, hostMatches, trimPrefix } from './match.js';

/** What routes are built from. */
export interface RouteInputs extends BackendSources {
  /** The adapter's class name and controller. */
  className: string;
  controller: string;
  ingressClasses: readonly IngressClass[];
  ingresses: readonly Ingress[];
  secret(namespace: string, name: string): Secret | undefined;
}

/** The routes, the Ingresses they serve, and what is wrong with each (by `namespace/name`). */
export interface BuiltRoutes {
  routes: IngressRoutes;
  served: Ingress[];
  problems: Map<string, string[]>;
}

const keyOf = (ing: Ingress): string => `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;

function decode(data: string | undefined): string | undefined {
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/** Builds the routes an adapter serves. */
export function buildRoutes(inputs: RouteInputs): BuiltRoutes {
  const problems = new Map<string, string[]>();
  const problem = (ing: Ingress, message: string): void => {
    const list = problems.get(keyOf(ing)) ?? [];
    list.push(message);
    problems.set(keyOf(ing), list);
  };
  const routes: IngressRoutes = { hosts: [], tls: [] };
  if (!adapterClass(inputs.ingressClasses, inputs.className, inputs.controller)) return { routes, served: [], problems };
  const served = inputs.ingresses
    .filter((ing) => !ing.metadata.deletionTimestamp && classOfIngress(ing, inputs.ingressClasses) === inputs.className)
    .sort(compareCreation);
  const hosts = new Map<string, HostRoutes>();
  const taken = new Set<string>();
  for (const ing of served) {
    const namespace = ing.metadata.namespace ?? 'default';
    const ingress = { namespace, name: ing.metadata.name as string };
    const { options, causes } = routeOptionsOf(ing.metadata.annotations);
    for (const c of causes) problem(ing, `${c.field}: ${c.message}`);
    const route = (path: string, pathType: RoutePath['pathType'], backend: Parameters<typeof resolveBackend>[1]): RoutePath => {
      const resolved = resolveBackend(namespace, backend, inputs);
      if (resolved.problem) problem(ing, resolved.problem);
      return { path, pathType, backend: resolved.backend, options, ingress };
    };
    if (ing.spec?.defaultBackend) {
      if (!routes.defaultBackend) routes.defaultBackend = route('/', 'Prefix', ing.spec.defaultBackend);
      else
        problem(
          ing,
          `spec.defaultBackend: ignored, the older Ingress ${routes.defaultBackend.ingress.namespace}/${routes.defaultBackend.ingress.name} sets the default backend`,
        );
    }
    for (const rule of ing.spec?.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      let hr = hosts.get(host);
      if (!hr) {
        hr = { host, paths: [], tls: false };
        hosts.set(host, hr);
      }
      for (const p of rule.http?.paths ?? []) {
        const pathType = (p.pathType ?? 'ImplementationSpecific') as RoutePath['pathType'];
        const path = p.path || '/';
        const key = `${host} ${pathType} ${pathType === 'Prefix' ? trimPrefix(path) : path}`;
        if (taken.has(key)) {
          problem(ing, `host "${host}" path ${path} (${pathType}): ignored, an older Ingress serves it`);
          continue;
        }
        taken.add(key);
        hr.paths.push(route(path, pathType, p.backend));
      }
    }
    for (const [i, tls] of (ing.spec?.tls ?? []).entries()) {
      if (!tls.secretName) continue;
      const secret = inputs.secret(namespace, tls.secretName);
      const cert = decode(secret?.data?.['tls.crt']) ?? secret?.stringData?.['tls.crt'];
      const key = decode(secret?.data?.['tls.key']) ?? secret?.stringData?.['tls.key'];
      if (!secret) problem(ing, `spec.tls[${i}].secretName: secret "${namespace}/${tls.secretName}" not found`);
      else if (!cert || !key) problem(ing, `spec.tls[${i}].secretName: secret "${namespace}/${tls.secretName}" has no tls.crt and tls.key`);
      else {
        const c: TlsCertificate = {
          hosts: (tls.hosts ?? []).map((h) => h.toLowerCase()),
          cert,
          key,
          secret: `${namespace}/${tls.secretName}`,
        };
        routes.tls.push(c);
      }
    }
  }
  for (const hr of hosts.values()) {
    hr.paths.sort(comparePaths);
    hr.tls = routes.tls.some((c) =>
      c.hosts.some((h) => h === hr.host || (hr.host !== '' && !hr.host.startsWith('*.') && hostMatches(h, hr.host))),
    );
  }
  routes.hosts = [...hosts.values()].sort((a, b) => compareHosts(a.host, b.host));
  return { routes, served, problems };
}
