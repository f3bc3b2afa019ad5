import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparePaths, hostMatches, matchRoute, pathMatches, rewritePath } from '../../../src/ingress-adapters/routes/match.js';
import { parseNginxSize, routeOptionsOf } from '../../../src/ingress-adapters/routes/annotations.js';
import { buildRoutes, type RouteInputs } from '../../../src/ingress-adapters/routes/build-routes.js';
import { DEFAULT_ROUTE_OPTIONS } from '../../../src/ingress-adapters/routes/annotations.js';
import { validateIngressClass, validateIngressClassUpdate } from '../../../src/model/validation/ingress-class.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../../../src/model/types.js';
import type { RoutePath } from '../../../src/ingress-adapters/types.js';

const route = (path: string, pathType: RoutePath['pathType'], rewriteTarget?: string): RoutePath => ({
  path,
  pathType,
  backend: { name: 'x', endpoints: [] },
  options: { ...DEFAULT_ROUTE_OPTIONS, rewriteTarget },
  ingress: { namespace: 'default', name: 'i' },
});

describe('path and host matching', () => {
  it('Prefix is element-wise', () => {
    const r = route('/foo', 'Prefix');
    expect(pathMatches(r, '/foo')).toBe(true);
    expect(pathMatches(r, '/foo/bar')).toBe(true);
    expect(pathMatches(r, '/foobar')).toBe(false);
    expect(pathMatches(route('/foo/', 'Prefix'), '/foo')).toBe(true);
    expect(pathMatches(route('/', 'Prefix'), '/anything')).toBe(true);
  });

  it('Exact matches only itself; ImplementationSpecific is a string prefix', () => {
    expect(pathMatches(route('/foo', 'Exact'), '/foo')).toBe(true);
    expect(pathMatches(route('/foo', 'Exact'), '/foo/')).toBe(false);
    expect(pathMatches(route('/foo', 'ImplementationSpecific'), '/foobar')).toBe(true);
  });

  it('a wildcard host covers exactly one label', () => {
    expect(hostMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('', 'any')).toBe(true);
  });

  it('longest match wins; at equal length Exact, then Prefix', () => {
    const paths = [route('/', 'Prefix'), route('/a', 'Prefix'), route('/a', 'Exact'), route('/a/b', 'Prefix')].sort(comparePaths);
    const m = (p: string) => matchRoute({ hosts: [{ host: '', paths, tls: false }], tls: [] }, 'h', p)?.route;
    expect(m('/a')?.pathType).toBe('Exact');
    expect(m('/a/b/c')?.path).toBe('/a/b');
    expect(m('/a/c')?.path).toBe('/a');
    expect(m('/z')?.path).toBe('/');
  });

  it('the chosen route always matches and no longer matching route exists (property)', () => {
    const seg = fc.constantFrom('a', 'b', 'ab');
    const path = fc.array(seg, { maxLength: 3 }).map((s) => `/${s.join('/')}`);
    const type = fc.constantFrom<RoutePath['pathType']>('Exact', 'Prefix', 'ImplementationSpecific');
    fc.assert(
      fc.property(fc.array(fc.tuple(path, type), { minLength: 1, maxLength: 6 }), path, (rules, req) => {
        const paths = rules.map(([p, t]) => route(p, t)).sort(comparePaths);
        const got = matchRoute({ hosts: [{ host: '', paths, tls: false }], tls: [] }, '', req)?.route;
        const matching = paths.filter((p) => pathMatches(p, req));
        if (!got) return matching.length === 0;
        return pathMatches(got, req) && matching.every((p) => comparePaths(got, p) <= 0);
      }),
    );
  });

  it('rewrite-target replaces the matched prefix', () => {
    expect(rewritePath(route('/api', 'Prefix', '/'), '/api/v1/x')).toBe('/v1/x');
    expect(rewritePath(route('/api', 'Prefix', '/'), '/api')).toBe('/');
    expect(rewritePath(route('/api', 'Prefix', '/base/'), '/api/x')).toBe('/base/x');
    expect(rewritePath(route('/e', 'Exact', '/t'), '/e')).toBe('/t');
    expect(rewritePath(route('/api', 'Prefix'), '/api/x')).toBe('/api/x');
  });
});

describe('annotations', () => {
  it('parses nginx sizes and rejects bad values naming the annotation', () => {
    expect(parseNginxSize('8k')).toBe(8192);
    expect(parseNginxSize('1M')).toBe(1024 * 1024);
    expect(parseNginxSize('0')).toBe(0);
    expect(parseNginxSize('1.5m')).toBeUndefined();
    const { options, causes } = routeOptionsOf({
      'nginx.ingress.kubernetes.io/proxy-body-size': 'lots',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '5',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'maybe',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
    });
    expect(options.maxBodyBytes).toBe(1024 * 1024);
    expect(options.readTimeoutMs).toBe(5000);
    expect(options.rewriteTarget).toBeUndefined();
    expect(causes.map((c) => c.field)).toEqual([
      'metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]',
      'metadata.annotations[nginx.ingress.kubernetes.io/rewrite-target]',
      'metadata.annotations[nginx.ingress.kubernetes.io/ssl-redirect]',
    ]);
  });
});

describe('buildRoutes', () => {
  const cls = (name: string, isDefault = false): IngressClass => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
    spec: { controller: 'tugboat.io/proxy' },
  });
  const ing = (name: string, ts: string, spec: Ingress['spec']): Ingress => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', creationTimestamp: ts },
    spec,
  });
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { ports: [{ name: 'http', port: 80 }] },
  };
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080 }],
    endpoints: [
      { addresses: ['10.0.0.2'], conditions: { ready: true } },
      { addresses: ['10.0.0.1'] },
      { addresses: ['10.0.0.3'], conditions: { ready: false } },
    ],
  };
  const inputs = (ingresses: Ingress[], classes = [cls('public', true)]): RouteInputs => ({
    className: 'public',
    controller: 'tugboat.io/proxy',
    ingressClasses: classes,
    ingresses,
    service: (ns, n) => (ns === 'default' && n === 'web' ? service : undefined),
    endpointSlices: (_ns, n) => (n === 'web' ? [slice] : []),
    secret: () => undefined,
  });
  const backend = { service: { name: 'web', port: { number: 80 } } };

  it('resolves backends to Ready endpoints on the slice port, sorted', () => {
    const { routes } = buildRoutes(
      inputs([ing('a', '2024-01-01T00:00:00Z', { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] })]),
    );
    expect(routes.hosts[0]?.paths[0]?.backend.endpoints).toEqual([
      { address: '10.0.0.1', port: 8080 },
      { address: '10.0.0.2', port: 8080 },
    ]);
  });

  it('drops terminating endpoints, and uses those still serving only when none is ready (kube-proxy fallback)', () => {
    const rules = { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend }] } }] };
    const terminating = { ready: false, serving: true, terminating: true };
    const withEndpoints = (endpoints: EndpointSlice['endpoints']): RouteInputs => ({
      ...inputs([ing('a', '2024-01-01T00:00:00Z', rules)]),
      endpointSlices: () => [{ ...slice, endpoints }],
    });
    const at = (i: RouteInputs) => buildRoutes(i).routes.hosts[0]?.paths[0]?.backend.endpoints;
    expect(
      at(
        withEndpoints([
          { addresses: ['10.0.0.1'], conditions: terminating },
          { addresses: ['10.0.0.2'], conditions: { ready: true, serving: true, terminating: false } },
        ]),
      ),
    ).toEqual([{ address: '10.0.0.2', port: 8080 }]);
    expect(
      at(
        withEndpoints([
          { addresses: ['10.0.0.1'], conditions: terminating },
          { addresses: ['10.0.0.3'], conditions: { ready: false, serving: false, terminating: true } },
          { addresses: ['10.0.0.4'], conditions: { ready: false, serving: false, terminating: false } },
        ]),
      ),
    ).toEqual([{ address: '10.0.0.1', port: 8080 }]);
  });

  it('serves Ingresses naming no class only for the default class; the older Ingress wins a conflict', () => {
    const older = ing('old', '2024-01-01T00:00:00Z', {
      rules: [{ host: 'h', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    });
    const newer = ing('new', '2024-02-01T00:00:00Z', {
      rules: [
        {
          host: 'h',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'missing', port: { number: 80 } } } }] },
        },
      ],
    });
    const built = buildRoutes(inputs([newer, older]));
    expect(built.served.map((i) => i.metadata.name)).toEqual(['old', 'new']);
    expect(built.routes.hosts[0]?.paths.map((p) => p.ingress.name)).toEqual(['old']);
    expect(built.problems.get('default/new')?.[0]).toContain('an older Ingress serves it');
    expect(buildRoutes(inputs([older], [cls('public')])).served).toEqual([]);
  });

  it('reports a missing Service and TLS Secret as problems of the Ingress', () => {
    const bad = ing('bad', '2024-01-01T00:00:00Z', {
      tls: [{ secretName: 'nope' }],
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'missing', port: { number: 80 } } } }] } }],
    });
    const built = buildRoutes(inputs([bad]));
    expect(built.problems.get('default/bad')).toEqual([
      'service "default/missing" not found',
      'spec.tls[0].secretName: secret "default/nope" not found',
    ]);
    expect(built.routes.hosts[0]?.paths[0]?.backend.endpoints).toEqual([]);
  });

  it('serves nothing when the class is missing or names another controller', () => {
    const i = ing('a', '2024-01-01T00:00:00Z', { ingressClassName: 'public', defaultBackend: backend });
    expect(buildRoutes(inputs([i], [])).served).toEqual([]);
    const other = { ...cls('public'), spec: { controller: 'example.com/other' } };
    expect(buildRoutes(inputs([i], [other])).served).toEqual([]);
  });
});

describe('IngressClass validation', () => {
  it('names the field of each error', () => {
    expect(validateIngressClass({ spec: {} }).map((c) => c.field)).toEqual(['spec.controller']);
    expect(validateIngressClass({ spec: { controller: 'nodomain' } })[0]?.field).toBe('spec.controller');
    expect(validateIngressClass({ spec: { controller: 'tugboat.io/proxy' } })).toEqual([]);
    expect(
      validateIngressClass({ spec: { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', scope: 'Namespace' } } }).map(
        (c) => c.field,
      ),
    ).toEqual(['spec.parameters.namespace']);
    expect(validateIngressClassUpdate({ spec: { controller: 'a.io/b' } }, { spec: { controller: 'a.io/c' } })[0]?.field).toBe(
      'spec.controller',
    );
  });
});
