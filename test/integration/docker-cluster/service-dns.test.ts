/**
 * In-cluster service discovery on Docker: a busybox pod reaches a Service by name (`web`,
 * `web.default.svc.cluster.local`, through the cluster's DNS server) and by its clusterIP
 * (through the cluster's own iptables chain and userspace proxy), balanced over both backends
 * (each httpd serves its own hostname). A second cluster running at the same time, whose
 * Service has the same clusterIP, is reached only by its own pods.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Deployment, Pod, Service } from '../../../src/model/types.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { eventually, httpdDeployment, removeLeftovers, rolledOut, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const nameA = testClusterName('docker-dns-a');
const nameB = testClusterName('docker-dns-b');

/** httpd pods that answer GET / with their own hostname. */
function hostnameDeployment(name: string, replicas: number): Deployment {
  const d = httpdDeployment(name, replicas);
  const c = d.spec?.template.spec?.containers[0];
  if (c) c.command = ['sh', '-c', 'mkdir -p /srv && hostname > /srv/index.html && trap "exit 0" TERM; httpd -f -p 8080 -h /srv & wait $!'];
  return d;
}

const webService: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
};

const client: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      { name: 'c', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait $!'] },
    ],
  },
};

async function clientReady(cluster: Cluster): Promise<void> {
  await eventually(async () => (await cluster.pods().get('client')).status?.phase === 'Running', 'the client pod runs', 90_000);
}

/** `timeout 5 wget -qO- url` in the client pod: the body, or undefined on failure. */
async function wget(cluster: Cluster, url: string): Promise<string | undefined> {
  const r = await cluster.exec('default', 'client', ['timeout', '5', 'wget', '-qO-', url]);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** The bodies of up to `max` requests, until both hostnames are seen. */
async function bodies(cluster: Cluster, url: string, want: number, max = 20): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < max && seen.size < want; i++) {
    const b = await wget(cluster, url);
    if (b) seen.add(b);
  }
  return seen;
}

describe.skipIf(!docker)('Service names and virtual IPs inside a Docker cluster', { timeout: 300_000 }, () => {
  let a: Cluster;
  let b: Cluster;
  let webPods: string[];

  beforeAll(async () => {
    await removeLeftovers(nameA);
    await removeLeftovers(nameB);
    a = await startDockerCluster(nameA, ['node-1']);
    b = await startDockerCluster(nameB, ['node-1']);
    for (const c of [a, b]) {
      await c.apply(hostnameDeployment('web', c === a ? 2 : 1));
      await c.apply(webService);
      await c.apply(client);
    }
    await rolledOut(a, 'web', 120_000);
    await rolledOut(b, 'web', 120_000);
    await clientReady(a);
    await clientReady(b);
    webPods = (await a.pods().list({ labelSelector: 'app=web' })).items.map((p) => p.metadata.name ?? '').sort();
    await eventually(
      async () => (await a.endpointSlices().list()).items.flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready).length === 2,
      'two ready endpoints',
    );
  }, 300_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await removeLeftovers(nameA);
    await removeLeftovers(nameB);
  });

  it("gives ClusterFirst pods the cluster's nameserver, search path and ndots:5", async () => {
    const conf = (await a.exec('default', 'client', ['cat', '/etc/resolv.conf'])).stdout;
    expect(conf).toMatch(/search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    expect(conf).toMatch(/ndots:5/);
  });

  it('reaches the Service by its short name, balanced over both backends', async () => {
    expect([...(await bodies(a, 'http://web', 2))].sort()).toEqual(webPods);
  });

  it('reaches the Service by its full name and by its clusterIP', async () => {
    expect([...(await bodies(a, 'http://web.default.svc.cluster.local', 2))].sort()).toEqual(webPods);
    const ip = (await a.services().get('web')).spec?.clusterIP;
    expect([...(await bodies(a, `http://${ip}`, 2))].sort()).toEqual(webPods);
  });

  it('keeps the other cluster apart: its pods reach its own backend at its own clusterIP', async () => {
    const bPods = (await b.pods().list({ labelSelector: 'app=web' })).items.map((p) => p.metadata.name ?? '');
    const ipB = (await b.services().get('web')).spec?.clusterIP;
    expect([...(await bodies(b, `http://${ipB}`, 1, 5))]).toEqual(bPods);
    expect([...(await bodies(b, 'http://web', 1, 5))]).toEqual(bPods);
    expect([...(await bodies(a, `http://${ipB}`, 2))].every((x) => webPods.includes(x))).toBe(true);
  });

  it('follows the EndpointSlices: a Service with no Ready endpoint refuses, one that gains them answers', async () => {
    await a.apply({
      ...webService,
      metadata: { name: 'late', namespace: 'default' },
      spec: { ...webService.spec, selector: { app: 'late' } },
    });
    await eventually(async () => (await wget(a, 'http://late')) === undefined, 'late refuses while it has no endpoint', 30_000);
    await a.apply(hostnameDeployment('late', 1));
    await rolledOut(a, 'late', 120_000);
    const late = (await a.pods().list({ labelSelector: 'app=late' })).items.map((p) => p.metadata.name ?? '');
    expect(await eventually(async () => wget(a, 'http://late'), 'late answers', 30_000)).toBe(late[0]);
  });

  it('keeps its rules in its own chain, jumped to from its own bridge only, and removes them on stop', async () => {
    const chains = await a.podNetworks.chains();
    expect(chains).toHaveLength(1);
    const nat = execFileSync('iptables', ['-w', '5', '-t', 'nat', '-S'], { encoding: 'utf8' });
    const jumps = nat.split('\n').filter((l) => l.includes(`-j ${chains[0]}`));
    expect(jumps).toHaveLength(1);
    expect(jumps[0]).toMatch(/^-A PREROUTING -i br-[0-9a-f]{12} /);
    const [chainB] = await b.podNetworks.chains();
    expect(chainB).not.toBe(chains[0]);
    await b.stop();
    const after = execFileSync('iptables', ['-w', '5', '-t', 'nat', '-S'], { encoding: 'utf8' });
    expect(after).not.toContain(chainB);
    expect(after).toContain(chains[0]);
    expect([...(await bodies(a, 'http://web', 2))].sort()).toEqual(webPods);
  });
});
