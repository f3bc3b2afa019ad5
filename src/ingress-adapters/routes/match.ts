/**
 * How a request finds its route, as Kubernetes' Ingress specifies: the host picks the rule set
 * (an exact name, else a `*.` wildcard covering exactly one label, else the rules without host),
 * then the longest matching path wins (Exact over Prefix over ImplementationSpecific at equal
 * length), else the default backend, else nothing (404).
 */
import type { HostRoutes, IngressRoutes, PathType, RoutePath } from '../types.js';

const TYPE_RANK: Record<PathType, number> = { Exact: 0, Prefix: 1, ImplementationSpecific: 2 };

/** The request's host without port, lower case. */
export function normalizeHost(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** True when a rule's host covers the request's host: equal, or `*.rest` and one more label. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (ruleHost === '') return true;
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const suffix = ruleHost.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** A Prefix path without its trailing slash (`/foo/` is `/foo`; `/` stays `/`). */
export function trimPrefix(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--; // '/'
  return end === path.length ? path : end === 0 ? '/' : path.slice(0, end);
}

/** True when a path rule matches a request path (no query). */
export function pathMatches(rule: Pick<RoutePath, 'path' | 'pathType'>, path: string): boolean {
  switch (rule.pathType) {
    case 'Exact':
      return path === rule.path;
    case 'Prefix': {
      // Element-wise: /foo matches /foo and /foo/bar, not /foobar.
      const p = trimPrefix(rule.path);
      if (p === '/') return true;
      return path === p || path.startsWith(`${p}/`);
    }
    default:
      // ImplementationSpecific: a plain string prefix, as nginx's `location /foo`.
      return path.startsWith(rule.path);
  }
}

/** Sorts paths by precedence: longer first, then Exact, Prefix, ImplementationSpecific. */
export function comparePaths(a: Pick<RoutePath, 'path' | 'pathType'>, b: Pick<RoutePath, 'path' | 'pathType'>): number {
  const la = a.pathType === 'Prefix' ? trimPrefix(a.path).length : a.path.length;
  const lb = b.pathType === 'Prefix' ? trimPrefix(b.path).length : b.path.length;
  return lb - la || TYPE_RANK[a.pathType] - TYPE_RANK[b.pathType];
}

/** Orders hosts: exact names, then wildcards (longer first), then `''`. */
export function compareHosts(a: string, b: string): number {
  const rank = (h: string): number => (h === '' ? 2 : h.startsWith('*.') ? 1 : 0);
  return rank(a) - rank(b) || b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The host rule set a request's host selects, if any. */
export function selectHost(routes: IngressRoutes, host: string): HostRoutes | undefined {
  const h = normalizeHost(host);
  return routes.hosts.find((r) => hostMatches(r.host, h));
}

/** What a request matched: a route (with its host rule set when one matched), or nothing. */
export interface RouteMatch {
  route: RoutePath;
  host: HostRoutes | undefined;
}

/** The route of a request (host header and path without query), or undefined for 404. */
export function matchRoute(routes: IngressRoutes, host: string | undefined, path: string): RouteMatch | undefined {
  const hostRoutes = selectHost(routes, host ?? '');
  const route = hostRoutes?.paths.find((p) => pathMatches(p, path));
  if (route) return { route, host: hostRoutes };
  if (routes.defaultBackend) return { route: routes.defaultBackend, host: hostRoutes };
  return undefined;
}

/** The path sent to the backend: the matched part replaced by rewrite-target when one is set. */
export function rewritePath(route: RoutePath, path: string): string {
  const target = route.options.rewriteTarget;
  if (target === undefined) return path;
  if (route.pathType === 'Exact') return target;
  const prefix = route.pathType === 'Prefix' ? trimPrefix(route.path) : route.path;
  let rest = prefix === '/' ? path.slice(1) : path.slice(prefix.length);
  if (rest.startsWith('/')) rest = rest.slice(1);
  if (rest === '') return target;
  return `${target.replace(/\/+$/, '')}/${rest}`;
}
