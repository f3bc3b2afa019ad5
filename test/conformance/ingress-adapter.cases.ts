/**
 * Routing cases every IngressAdapter passes: a Cluster with the adapter, selectorless Services
 * whose EndpointSlices point at HTTP backends on loopback, Ingresses applied, real requests
 * through the adapter's listeners.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Cluster } from '../../src/index.js';
import type { IngressAdapter, IngressAddress, IngressRoutes, RouteEndpoint } from '../../src/ingress-adapters/types.js';

/** How a conformance run makes the adapter under test. */
export interface IngressAdapterSetup {
  name: string;
  /** A new adapter serving `className` on 127.0.0.1, ports picked by the system. */
  make(className: string): IngressAdapter;
}

interface Backend {
  name: string;
  server: Server;
  port: number;
}

async function startBackend(name: string): Promise<Backend> {
  const server = createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
    });
    req.on('end', () => {
      const body = JSON.stringify({
        backend: name,
        url: req.url,
        host: req.headers.host,
        xff: req.headers['x-forwarded-for'],
        proto: req.headers['x-forwarded-proto'],
        xhost: req.headers['x-forwarded-host'],
        connection: req.headers.connection,
        te: req.headers.te,
        size,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name, 'keep-alive': 'timeout=5' });
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`${name}:${m.toString()}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { name, server, port: (server.address() as AddressInfo).port };
}

function makeCert(dir: string, host: string): { cert: string; key: string } {
  const key = join(dir, `${host}.key`);
  const cert = join(dir, `${host}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Runs the routing cases against an adapter. */
export function runIngressAdapterConformance(setup: IngressAdapterSetup): void {
  describe(`IngressAdapter conformance: ${setup.name}`, () => {
    let cluster: Cluster;
    let addr: IngressAddress;
    let admin: IngressAddress;
    const backends: Record<string, Backend> = {};
    const dir = mkdtempSync(join(tmpdir(), 'tugboat-ingress-cases-'));
    const agent = new Agent({ pipelining: 0 });

    const get = async (host: string, path: string, init: { method?: string; body?: string; to?: IngressAddress } = {}) => {
      const to = init.to ?? addr;
      const res = await request(`http://127.0.0.1:${to.port}${path}`, {
        method: (init.method ?? 'GET') as 'GET',
        headers: { host, connection: 'close' },
        body: init.body,
        dispatcher: agent,
      });
      const text = await res.body.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: res.statusCode, text, json, headers: res.headers };
    };

    const service = async (name: string, backend?: string, opts: { notReady?: string; dead?: boolean } = {}) => {
      await cluster.services('default').create({ metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      const endpoints = [];
      const port = backend ? backends[backend]?.port : undefined;
      if (opts.dead) endpoints.push({ addresses: ['127.0.0.1'], conditions: { ready: true } });
      // All endpoints of one slice share one port: a dead one has its own slice.
      await cluster.client('discovery.k8s.io/v1', 'EndpointSlice', 'default').create({
        metadata: { name: `${name}-a`, labels: { 'kubernetes.io/service-name': name } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: port ?? 1, protocol: 'TCP' }],
        endpoints: backend ? [{ addresses: ['127.0.0.1'], conditions: { ready: true } }] : [],
      } as never);
      if (opts.notReady) {
        await cluster.client('discovery.k8s.io/v1', 'EndpointSlice', 'default').create({
          metadata: { name: `${name}-b`, labels: { 'kubernetes.io/service-name': name } },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: backends[opts.notReady]?.port, protocol: 'TCP' }],
          endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: false } }],
        } as never);
      }
      if (opts.dead) {
        await cluster.client('discovery.k8s.io/v1', 'EndpointSlice', 'default').create({
          metadata: { name: `${name}-dead`, labels: { 'kubernetes.io/service-name': name } },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: deadPort, protocol: 'TCP' }],
          endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
        } as never);
      }
    };
    let deadPort = 1;
    const svc = (name: string) => ({ service: { name, port: { name: 'http' } } });
    const sync = async () => {
      await cluster.settled({ timeoutMs: 20_000 });
    };

    beforeAll(async () => {
      for (const n of ['a', 'b', 'w', 'root', 'foo', 'foobar', 'exact', 'imp', 'def', 'api', 'tls', 'new', 'admin'])
        backends[n] = await startBackend(n);
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      deadPort = (probe.address() as AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      cluster = await Cluster.start({
        name: `ing-${setup.name}`,
        scheduler: false,
        ingressAdapters: [setup.make('public'), setup.make('admin')],
      });
      await cluster.ingressClasses().create({
        metadata: { name: 'public', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
        spec: { controller: setup.make('x').controller },
      });
      await cluster.ingressClasses().create({ metadata: { name: 'admin' }, spec: { controller: setup.make('x').controller } });
      for (const n of ['a', 'b', 'w', 'root', 'foo', 'foobar', 'exact', 'imp', 'def', 'api', 'tls', 'admin']) await service(n, n);
      await service('empty', undefined, { notReady: 'a' });
      await service('flaky', 'a', { dead: true });
      const ta = makeCert(dir, 'secure.example.com');
      await cluster
        .secrets('default')
        .create({ metadata: { name: 'secure-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(ta.cert), 'tls.key': b64(ta.key) } });
      const tb = makeCert(dir, 'other.example.com');
      await cluster
        .secrets('default')
        .create({ metadata: { name: 'other-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(tb.cert), 'tls.key': b64(tb.key) } });
      await cluster.apply([
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'hosts', namespace: 'default' },
          spec: {
            rules: [
              { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } },
              { host: 'b.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('b') }] } },
              { host: '*.wild.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('w') }] } },
              { host: 'empty.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('empty') }] } },
              { host: 'flaky.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('flaky') }] } },
            ],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'paths', namespace: 'default' },
          spec: {
            ingressClassName: 'public',
            rules: [
              {
                host: 'paths.example.com',
                http: {
                  paths: [
                    { path: '/', pathType: 'Prefix', backend: svc('root') },
                    { path: '/foo', pathType: 'Prefix', backend: svc('foo') },
                    { path: '/foo/bar', pathType: 'Prefix', backend: svc('foobar') },
                    { path: '/exact', pathType: 'Exact', backend: svc('exact') },
                    { path: '/imp', pathType: 'ImplementationSpecific', backend: svc('imp') },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: {
            name: 'annotated',
            namespace: 'default',
            annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/', 'nginx.ingress.kubernetes.io/proxy-body-size': '1k' },
          },
          spec: { rules: [{ host: 'api.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: svc('api') }] } }] },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'default-backend', namespace: 'default' },
          spec: { defaultBackend: svc('def') },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'secure', namespace: 'default' },
          spec: {
            tls: [
              { hosts: ['secure.example.com'], secretName: 'secure-tls' },
              { hosts: ['other.example.com'], secretName: 'other-tls' },
            ],
            rules: [
              { host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('tls') }] } },
              { host: 'other.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('tls') }] } },
            ],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'admin', namespace: 'default' },
          spec: {
            ingressClassName: 'admin',
            rules: [{ host: 'admin.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('admin') }] } }],
          },
        },
      ]);
      await sync();
      addr = cluster.ingressAddress('public') as IngressAddress;
      admin = cluster.ingressAddress('admin') as IngressAddress;
    }, 60_000);

    afterAll(async () => {
      await cluster?.stop();
      await agent.close();
      for (const b of Object.values(backends)) {
        b.server.closeAllConnections();
        await new Promise<void>((r) => b.server.close(() => r()));
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('reports the listener in status.loadBalancer of each Ingress it serves', async () => {
      const ing = await cluster.ingresses('default').get('hosts');
      expect(ing.status?.loadBalancer?.ingress?.[0]).toEqual({
        ip: '127.0.0.1',
        ports: [
          { port: addr.port, protocol: 'TCP' },
          { port: addr.tlsPort, protocol: 'TCP' },
        ],
      });
      const adm = await cluster.ingresses('default').get('admin');
      expect(adm.status?.loadBalancer?.ingress?.[0]?.ports?.[0]?.port).toBe(admin.port);
      expect(admin.port).not.toBe(addr.port);
    });

    it('routes by exact host and keeps IngressClasses apart', async () => {
      expect((await get('a.example.com', '/x')).json.backend).toBe('a');
      expect((await get('B.example.com:80', '/x')).json.backend).toBe('b');
      expect((await get('admin.example.com', '/', { to: admin })).json.backend).toBe('admin');
      // The admin host is not served by the public adapter: its default backend answers.
      expect((await get('admin.example.com', '/')).json.backend).toBe('def');
      expect((await get('a.example.com', '/', { to: admin })).status).toBe(404);
    });

    it('matches a wildcard host on exactly one label', async () => {
      expect((await get('x.wild.example.com', '/')).json.backend).toBe('w');
      expect((await get('x.y.wild.example.com', '/')).json.backend).toBe('def');
      expect((await get('wild.example.com', '/')).json.backend).toBe('def');
    });

    it('matches paths element-wise, longest first, Exact and ImplementationSpecific', async () => {
      const at = async (p: string) => (await get('paths.example.com', p)).json.backend;
      expect(await at('/foo')).toBe('foo');
      expect(await at('/foo/')).toBe('foo');
      expect(await at('/foo/baz')).toBe('foo');
      expect(await at('/foobar')).toBe('root');
      expect(await at('/foo/bar')).toBe('foobar');
      expect(await at('/foo/bar/x?q=1')).toBe('foobar');
      expect(await at('/exact')).toBe('exact');
      expect(await at('/exact/x')).toBe('root');
      expect(await at('/impx')).toBe('imp');
      expect(await at('/')).toBe('root');
    });

    it('sends requests matching no rule to the default backend', async () => {
      expect((await get('nowhere.example.com', '/anything')).json.backend).toBe('def');
    });

    it('answers 503 naming the backend when it has no Ready endpoint', async () => {
      const r = await get('empty.example.com', '/');
      expect(r.status).toBe(503);
      expect(r.text).toContain('default/empty:http');
    });

    it('retries a refused connection on another endpoint', async () => {
      for (let i = 0; i < 6; i++) expect((await get('flaky.example.com', `/${i}`)).json.backend).toBe('a');
    });

    it('rewrites the matched prefix and limits the body size', async () => {
      expect((await get('api.example.com', '/api/v1/x?y=2')).json.url).toBe('/v1/x?y=2');
      expect((await get('api.example.com', '/api')).json.url).toBe('/');
      expect((await get('api.example.com', '/api', { method: 'POST', body: 'x'.repeat(1000) })).json.size).toBe(1000);
      expect((await get('api.example.com', '/api', { method: 'POST', body: 'x'.repeat(4096) })).status).toBe(413);
    });

    it('sets X-Forwarded-For/Proto/Host and strips hop-by-hop headers', async () => {
      const r = await get('a.example.com', '/h');
      expect(r.json.xff).toContain('127.0.0.1');
      expect(r.json.proto).toBe('http');
      expect(r.json.xhost).toBe('a.example.com');
      expect(r.json.host).toBe('a.example.com');
      expect(r.headers['keep-alive']).toBeUndefined();
    });

    it('serves TLS by SNI and redirects plain HTTP on TLS hosts', async () => {
      const subject = (servername: string) =>
        new Promise<{ cn: string; backend: string }>((resolve, reject) => {
          const req = httpsRequest(
            { host: '127.0.0.1', port: addr.tlsPort, path: '/', servername, headers: { host: servername }, rejectUnauthorized: false },
            (res) => {
              const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN);
              let text = '';
              res.on('data', (c) => {
                text += c;
              });
              res.on('end', () => resolve({ cn, backend: JSON.parse(text).backend }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      expect(await subject('secure.example.com')).toEqual({ cn: 'secure.example.com', backend: 'tls' });
      expect(await subject('other.example.com')).toEqual({ cn: 'other.example.com', backend: 'tls' });
      const plain = await get('secure.example.com', '/p?q=1');
      expect(plain.status).toBe(308);
      expect(plain.headers.location).toBe(`https://secure.example.com:${addr.tlsPort}/p?q=1`);
    });

    it('proxies WebSocket upgrades', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${addr.port}/ws`, { headers: { host: 'a.example.com' } });
      const answer = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('hello'));
        ws.on('message', (m) => resolve(m.toString()));
        ws.on('error', reject);
      });
      ws.close();
      expect(answer).toBe('a:hello');
    });

    it('never loads a configuration it cannot serve, and reports it as an Event on the Ingress', async () => {
      await cluster.secrets('default').create({
        metadata: { name: 'broken-tls' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': b64('-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n'), 'tls.key': b64('junk') },
      });
      await cluster.ingresses('default').create({
        metadata: { name: 'broken' },
        spec: {
          ingressClassName: 'admin',
          tls: [{ hosts: ['broken.example.com'], secretName: 'broken-tls' }],
          rules: [{ host: 'broken.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } }],
        },
      });
      await sync();
      const events = await cluster.events.list('default');
      const ev = events.find((e) => e.involvedObject?.name === 'broken' && e.reason === 'InvalidConfiguration');
      expect(ev?.type).toBe('Warning');
      expect(ev?.message).toContain('admin');
      // The previous configuration stays in force: admin is served, broken is not.
      expect((await get('admin.example.com', '/', { to: admin })).json.backend).toBe('admin');
      expect((await get('broken.example.com', '/', { to: admin })).status).toBe(404);
      expect((await cluster.ingresses('default').get('broken')).status?.loadBalancer?.ingress ?? []).toEqual([]);
      await cluster.ingresses('default').delete('broken');
      await sync();
    });

    it('applies route changes: a new backend, then a rule removed (404)', async () => {
      await cluster.ingresses('default').create({
        metadata: { name: 'changing' },
        spec: {
          ingressClassName: 'admin',
          rules: [{ host: 'c.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } }],
        },
      });
      await sync();
      expect((await get('c.example.com', '/', { to: admin })).json.backend).toBe('a');
      await cluster
        .ingresses('default')
        .patch(
          'changing',
          { spec: { rules: [{ host: 'c.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('b') }] } }] } },
          'merge',
        );
      await sync();
      expect((await get('c.example.com', '/', { to: admin })).json.backend).toBe('b');
      await cluster.ingresses('default').delete('changing');
      await sync();
      expect((await get('c.example.com', '/', { to: admin })).status).toBe(404);
    });

    it('answers every new connection with the applied routes once apply() resolves, never the previous ones', async () => {
      // An adapter that swaps configurations (nginx's reload) may keep the previous one accepting for a while:
      // apply() is done only when it no longer does, or a client that waited for apply() sees old routes.
      const adapter = setup.make('swap');
      const to = await adapter.start();
      const routes = (endpoints: RouteEndpoint[]): IngressRoutes => ({
        hosts: [
          {
            host: 'swap.example.com',
            tls: false,
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { name: 'default/swap:http', endpoints },
                options: { maxBodyBytes: 1 << 20, readTimeoutMs: 60_000, sslRedirect: true },
                ingress: { namespace: 'default', name: 'swap' },
              },
            ],
          },
        ],
        tls: [],
      });
      const answers: number[] = [];
      try {
        for (let round = 0; round < 8; round++) {
          await adapter.apply(routes([]));
          await adapter.apply(routes([{ address: '127.0.0.1', port: backends.a?.port as number }]));
          for (let i = 0; i < 25; i++) answers.push((await get('swap.example.com', '/', { to })).status);
        }
      } finally {
        await adapter.stop();
      }
      expect(answers.filter((s) => s !== 200)).toEqual([]);
      expect(answers).toHaveLength(200);
    });
  });
}
