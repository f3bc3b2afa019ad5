/**
 * Real HTTP through both ingress adapters to pods on Docker: one cluster on DockerRuntime with a
 * ProxyIngress (IngressClass `proxy`) and an NginxIngress (IngressClass `nginx`), busybox httpd
 * Deployments that answer with their pod's hostname, a node WebSocket echo pod (the local image
 * tugboat-test/node-ws:1 from .ci/docker.sh), Services, and the same Ingresses for each class.
 * The adapters reach the pods at their IPs on the cluster's bridge, which the host routes to.
 * Cases: host (exact, wildcard) and path routing (Prefix, Exact, longest first), TLS with SNI
 * (two hosts, two Secrets, the certificate served per name), 404 with no rule, 413 past
 * proxy-body-size, 503 for a Service with no Ready endpoint, and a WebSocket echo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { IngressAddress } from '../../../src/ingress-adapters/types.js';
import type { Deployment, Ingress, Service } from '../../../src/model/types.js';
import { NginxIngress } from '../../../src/nginx.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { eventually, httpdDeployment, removeLeftovers, rolledOut } from '../../support/docker-cluster.js';
import { INGRESS_CLASSES, startIngressCluster } from './fixtures/ingress-cluster.js';

const WS_IMAGE = 'tugboat-test/node-ws:1';
const docker = (await dockerForTests([TEST_IMAGE, WS_IMAGE])) && (await NginxIngress.available());
const name = testClusterName('docker-ingress');
const CLASSES = INGRESS_CLASSES;

/** Files each httpd pod serves, every one holding the pod's hostname. */
const FILES = ['index.html', 'x', 'foo/x', 'foo/bar/x', 'foobar', 'exact'];

/** busybox httpd pods labelled app=<name> that answer GET of each of FILES with their hostname. */
function hostnameDeployment(app: string): Deployment {
  const d = httpdDeployment(app, 1);
  const c = d.spec?.template.spec?.containers[0];
  const write = FILES.map((f) => `mkdir -p /srv/$(dirname ${f}) && hostname > /srv/${f}`).join(' && ');
  if (c) c.command = ['sh', '-c', `${write} && trap "exit 0" TERM; httpd -f -p 8080 -h /srv & wait $!`];
  return d;
}

function wsDeployment(): Deployment {
  const d = httpdDeployment('ws', 1, WS_IMAGE);
  const c = d.spec?.template.spec?.containers[0];
  if (c) c.command = ['/bin/node', '/app/echo.js'];
  return d;
}

function service(svc: string, app: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc, namespace: 'default' },
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

const backend = (svc: string) => ({ service: { name: svc, port: { name: 'http' } } });
const prefix = (path: string, svc: string) => ({ path, pathType: 'Prefix' as const, backend: backend(svc) });

/** The Ingresses of one class: the same routes for both adapters. */
function ingresses(cls: string): Ingress[] {
  const ing = (n: string, spec: Ingress['spec'], annotations?: Record<string, string>): Ingress => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `${n}-${cls}`, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { ingressClassName: cls, ...spec },
  });
  return [
    ing('hosts', {
      rules: [
        { host: 'a.example.com', http: { paths: [prefix('/', 'a')] } },
        { host: 'b.example.com', http: { paths: [prefix('/', 'b')] } },
        { host: '*.wild.example.com', http: { paths: [prefix('/', 'b')] } },
        { host: 'empty.example.com', http: { paths: [prefix('/', 'empty')] } },
        { host: 'ws.example.com', http: { paths: [prefix('/', 'ws')] } },
      ],
    }),
    ing('paths', {
      rules: [
        {
          host: 'paths.example.com',
          http: {
            paths: [
              prefix('/', 'a'),
              prefix('/foo', 'b'),
              prefix('/foo/bar', 'a'),
              { path: '/exact', pathType: 'Exact', backend: backend('b') },
            ],
          },
        },
      ],
    }),
    ing(
      'small',
      { rules: [{ host: 'small.example.com', http: { paths: [prefix('/', 'a')] } }] },
      {
        'nginx.ingress.kubernetes.io/proxy-body-size': '1k',
      },
    ),
    ing('secure', {
      tls: [
        { hosts: ['secure.example.com'], secretName: 'secure-tls' },
        { hosts: ['other.example.com'], secretName: 'other-tls' },
      ],
      rules: [
        { host: 'secure.example.com', http: { paths: [prefix('/', 'a')] } },
        { host: 'other.example.com', http: { paths: [prefix('/', 'b')] } },
      ],
    }),
  ];
}

function makeCert(dir: string, host: string): { cert: string; key: string } {
  const key = join(dir, `${host}.key`);
  const cert = join(dir, `${host}.crt`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${host}`],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe.skipIf(!docker)('Ingress adapters to pods on Docker', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  const pods: Record<string, string> = {};
  const agent = new Agent({ pipelining: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-docker-ingress-'));

  const addr = (cls: string): IngressAddress => cluster.ingressAddress(cls) as IngressAddress;
  const get = async (cls: string, host: string, path: string, init: { method?: 'GET' | 'POST'; body?: string } = {}) => {
    const res = await request(`http://127.0.0.1:${addr(cls).port}${path}`, {
      method: init.method ?? 'GET',
      headers: { host, connection: 'close' },
      body: init.body,
      dispatcher: agent,
    });
    const text = (await res.body.text()).trim();
    return { status: res.statusCode, text };
  };

  beforeAll(async () => {
    cluster = await startIngressCluster(name);
    for (const host of ['secure.example.com', 'other.example.com']) {
      const t = makeCert(dir, host);
      await cluster.secrets('default').create({
        metadata: { name: `${host.split('.')[0]}-tls` },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': b64(t.cert), 'tls.key': b64(t.key) },
      });
    }
    await cluster.apply([
      hostnameDeployment('a'),
      hostnameDeployment('b'),
      wsDeployment(),
      service('a', 'a'),
      service('b', 'b'),
      service('ws', 'ws'),
      service('empty', 'nothing'),
      ...CLASSES.flatMap(ingresses),
    ]);
    for (const app of ['a', 'b', 'ws']) {
      await rolledOut(cluster, app, 120_000);
      pods[app] = (await cluster.pods().list({ labelSelector: `app=${app}` })).items[0]?.metadata.name ?? '';
    }
    for (const cls of CLASSES) {
      // Each backend's endpoints reach the adapter on their own (EndpointSlices are eventually consistent).
      await eventually(async () => (await get(cls, 'a.example.com', '/')).text === pods.a, `${cls} serves a`, 60_000);
      await eventually(async () => (await get(cls, 'b.example.com', '/')).text === pods.b, `${cls} serves b`, 60_000);
      await eventually(async () => (await get(cls, 'ws.example.com', '/')).status === 200, `${cls} serves ws`, 60_000);
    }
    // An answer from the new routes does not mean the old ones are gone: nginx's previous worker keeps
    // accepting until it takes its quit signal, and apply() waits for that. Settled waits for every adapter.
    await cluster.settled({ timeoutMs: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    await agent.close();
    await removeLeftovers(name);
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(CLASSES)('through the %s adapter', (cls) => {
    it('reports its listener in status.loadBalancer', async () => {
      const ing = await cluster.ingresses('default').get(`hosts-${cls}`);
      expect(ing.status?.loadBalancer?.ingress?.[0]?.ports?.[0]?.port).toBe(addr(cls).port);
    });

    it('routes by exact and wildcard host to the pods', async () => {
      expect(await get(cls, 'a.example.com', '/')).toEqual({ status: 200, text: pods.a });
      expect(await get(cls, 'b.example.com', '/x')).toEqual({ status: 200, text: pods.b });
      expect(await get(cls, 'x.wild.example.com', '/')).toEqual({ status: 200, text: pods.b });
      expect((await get(cls, 'x.y.wild.example.com', '/')).status).toBe(404);
    });

    it('routes paths element-wise, longest first, and Exact', async () => {
      const at = async (p: string) => (await get(cls, 'paths.example.com', p)).text;
      expect(await at('/x')).toBe(pods.a);
      expect(await at('/foo/x')).toBe(pods.b);
      expect(await at('/foo/bar/x')).toBe(pods.a);
      expect(await at('/foobar')).toBe(pods.a);
      expect(await at('/exact')).toBe(pods.b);
    });

    it('answers 404 when no rule matches', async () => {
      expect((await get(cls, 'nowhere.example.com', '/')).status).toBe(404);
    });

    it('answers 413 past proxy-body-size', async () => {
      expect((await get(cls, 'small.example.com', '/', { method: 'POST', body: 'x'.repeat(4096) })).status).toBe(413);
      expect(await get(cls, 'small.example.com', '/')).toEqual({ status: 200, text: pods.a });
    });

    it('answers 503 for a Service with no Ready endpoint', async () => {
      expect((await get(cls, 'empty.example.com', '/')).status).toBe(503);
    });

    it('serves TLS by SNI: each host its own certificate and backend', async () => {
      const fetchTls = (servername: string) =>
        new Promise<{ cn: string; text: string }>((resolve, reject) => {
          const req = httpsRequest(
            { host: '127.0.0.1', port: addr(cls).tlsPort, path: '/', servername, headers: { host: servername }, rejectUnauthorized: false },
            (res) => {
              const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN);
              let text = '';
              res.on('data', (c) => {
                text += c;
              });
              res.on('end', () => resolve({ cn, text: text.trim() }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      expect(await fetchTls('secure.example.com')).toEqual({ cn: 'secure.example.com', text: pods.a });
      expect(await fetchTls('other.example.com')).toEqual({ cn: 'other.example.com', text: pods.b });
    });

    it('carries a WebSocket to the echo pod', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${addr(cls).port}/chat`, { headers: { host: 'ws.example.com' } });
      const answers: string[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => ws.send('hello'));
        ws.on('message', (m) => {
          answers.push(m.toString());
          if (answers.length === 1) ws.send('again');
          else resolve();
        });
        ws.on('error', reject);
      });
      ws.close();
      expect(answers).toEqual(['echo:hello', 'echo:again']);
    });
  });
});
