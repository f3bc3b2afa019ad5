/**
 * The real kubectl's port-forward against cluster.serve(), to a pod of the process runtime (a
 * Node HTTP server bound to its POD_IP): kubectl 1.30 (what the Cloud SDK's dispatcher runs
 * against a 1.30 server) upgrades to SPDY/3.1; kubectl 1.32 tunnels SPDY over a WebSocket
 * (PortForwardWebsockets, on by default since 1.31). An HTTP GET goes through the local port;
 * the forward ends cleanly on SIGINT.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod, Service } from '../../../src/model/types.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';
import { KUBECTL, Kubectl, kubectlAvailable, kubectlOfMinor } from '../../support/kubectl.js';

const SERVER = `
const http = require('node:http');
const big = Buffer.alloc(1 << 20, 'x');
http.createServer((req, res) => res.end(req.url === '/big' ? big : 'hello from ' + process.env.POD_NAME + ' ' + req.url)).listen(8080, process.env.POD_IP);
`;

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'http',
        image: 'node',
        command: [process.execPath, '-e', SERVER],
        env: [{ name: 'POD_NAME', value: 'web' }],
        ports: [{ name: 'http', containerPort: 8080 }],
      },
    ],
  },
};

const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
};

/** A running `kubectl port-forward`: its local port, its output, and a SIGINT that waits for its exit. */
async function forward(k: Kubectl, args: string[], bin = KUBECTL) {
  const run = k.spawn(['port-forward', ...args], bin);
  const exited = new Promise<number | null>((r) => run.child.once('exit', (code) => r(code)));
  const port = await eventually(
    () => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(run.output());
      if (m) return Number(m[1]);
      if (run.child.exitCode !== null) throw new Error(`kubectl port-forward exited: ${run.output()}`);
      return undefined;
    },
    'kubectl port-forward listening',
    { timeoutMs: 20_000 },
  );
  return {
    port,
    output: run.output,
    child: run.child as ChildProcess,
    exited,
    async interrupt(): Promise<number | null> {
      run.child.kill('SIGINT');
      return exited;
    },
  };
}

/** A GET through a local port; bounded, so a connection nobody answers is a failed try, not a hang. */
async function get(port: number, path = '/'): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
  return res.text();
}

describe.skipIf(!kubectlAvailable())('kubectl port-forward against cluster.serve()', { timeout: 90_000 }, () => {
  let cluster: Cluster;
  let api: ServedApi;
  let k: Kubectl;
  let dir: string;

  beforeAll(async () => {
    const t0 = Date.now();
    // Where the set-up is when it is slow (printed on the test's output).
    const step = (what: string) => console.log(`[kpf] ${what} at ${Date.now() - t0} ms`);
    dir = await mkdtemp(join(tmpdir(), 'tugboat-kpf-'));
    cluster = await Cluster.start({
      name: `kpf-${process.pid}`,
      nodes: [{ name: 'node-1', runtime: new ProcessRuntime({ stateDir: dir }), resyncIntervalMs: 1_000 }],
    });
    step('cluster started');
    await cluster.apply([pod, service]);
    await eventually(
      async () => ((await cluster.client<Pod>('v1', 'Pod', 'default').get('web')).status?.phase === 'Running' ? true : undefined),
      'pod web running',
      { timeoutMs: 30_000 },
    );
    step('pod web Running');
    // The server listens a moment after the process starts.
    const direct = await cluster.portForward('default', 'pod/web', 8080);
    await eventually(async () => ((await get(direct.port).catch(() => '')).startsWith('hello') ? true : undefined), 'pod web serving', {
      timeoutMs: 20_000,
    }).catch(async (err) => {
      // Say why: the pod's status and its server's output.
      const lines: string[] = [];
      for await (const l of cluster.logs('default', 'web')) lines.push(l.line);
      const status = (await cluster.client<Pod>('v1', 'Pod', 'default').get('web')).status;
      throw new Error(`${String(err)}; pod status ${JSON.stringify(status)}; log: ${lines.join('\n')}`);
    });
    step('pod web serving');
    await direct.close();
    api = await cluster.serve();
    k = new Kubectl(api.kubeconfig);
    step('served');
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    k?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pod/NAME :PORT over SPDY/3.1 (kubectl 1.30): GETs, one at a time and at once, a 1 MiB body; SIGINT ends it with 0', async () => {
    const pf = await forward(k, ['pod/web', ':8080', '-v=6']);
    expect(await get(pf.port, '/one')).toBe('hello from web /one');
    expect(await get(pf.port, '/two')).toBe('hello from web /two');
    const many = await Promise.all([1, 2, 3, 4, 5].map((i) => get(pf.port, `/p${i}`)));
    expect(many).toEqual([1, 2, 3, 4, 5].map((i) => `hello from web /p${i}`));
    expect((await get(pf.port, '/big')).length).toBe(1 << 20);
    expect(pf.output()).toMatch(/POST https:\/\/[^ ]+\/api\/v1\/namespaces\/default\/pods\/web\/portforward 101 Switching Protocols/);
    expect(await pf.interrupt()).toBe(0);
    expect(pf.output()).not.toMatch(/error|lost connection/i);
  });

  const kubectl132 = kubectlOfMinor(32);
  it.skipIf(!kubectl132)('pod/NAME over SPDY tunnelled in a WebSocket (kubectl 1.32): no fallback to SPDY', async () => {
    const pf = await forward(k, ['pod/web', ':8080', '-v=6'], kubectl132);
    expect(await get(pf.port, '/ws')).toBe('hello from web /ws');
    expect((await get(pf.port, '/big')).length).toBe(1 << 20);
    expect(pf.output()).toMatch(/GET https:\/\/[^ ]+\/pods\/web\/portforward 101 Switching Protocols/);
    expect(pf.output()).toContain('negotiated protocol: portforward.k8s.io');
    expect(pf.output()).not.toContain('fallback');
    expect(await pf.interrupt()).toBe(0);
  });

  it('svc/NAME :PORT goes to the Service’s pod at its targetPort (a named port)', async () => {
    const pf = await forward(k, ['svc/web', ':80']);
    expect(pf.output()).toMatch(/Forwarding from 127\.0\.0\.1:\d+ -> 8080/);
    expect(await get(pf.port, '/svc')).toBe('hello from web /svc');
    expect(await pf.interrupt()).toBe(0);
  });

  it('a port nothing listens on: the connection is closed and kubectl reports the error as Kubernetes does', async () => {
    const pf = await forward(k, ['pod/web', ':9999']);
    await expect(get(pf.port)).rejects.toThrow();
    await eventually(
      () => (/error forwarding port 9999 to pod web, uid [-0-9a-f]+: .*ECONNREFUSED/.test(pf.output()) ? true : undefined),
      'the error',
    );
    // kubectl closes the connection after an error on the error stream, and exits with 1.
    expect(await Promise.race([pf.exited, pf.interrupt()])).not.toBeNull();
  });

  it('a viewer (may get pods, not create pods/portforward) is refused with 403', async () => {
    await cluster.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer-view', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    });
    const viewer = new Kubectl(api.kubeconfigFor('viewer'));
    try {
      const r = await viewer.run(['port-forward', 'pod/web', ':8080'], undefined, 20_000);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'error upgrading connection: pods "web" is forbidden: User "viewer" cannot create resource "pods/portforward" in API group "" in the namespace "default"',
      );
    } finally {
      viewer.cleanup();
    }
  });
});
