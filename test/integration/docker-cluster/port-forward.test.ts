/**
 * cluster.portForward on Docker, as `kubectl port-forward`: this process reaches a busybox httpd
 * pod, and a Service's Ready endpoints (round-robin per connection), on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { dockerForTests, testClusterName } from '../../support/docker.js';
import {
  eventually,
  httpdDeployment,
  httpGet,
  podsOf,
  removeLeftovers,
  rolledOut,
  startDockerCluster,
} from '../../support/docker-cluster.js';
import { rejection } from '../../support/rejection.js';

const docker = await dockerForTests();
const name = testClusterName('docker-port-forward');

describe.skipIf(!docker)('cluster.portForward on Docker', { timeout: 180_000 }, () => {
  let cluster: Cluster;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
    await cluster.apply(httpdDeployment('web', 2));
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    await rolledOut(cluster, 'web', 120_000);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('forwards 127.0.0.1:port to a pod', async () => {
    const [pod] = await podsOf(cluster, 'web');
    await using fwd = await cluster.portForward('default', `pod/${pod?.metadata.name}`, 8080);
    expect(fwd.port).toBeGreaterThan(0);
    const res = await httpGet('127.0.0.1', fwd.port, '/');
    expect(res).toEqual({ status: 200, body: 'tugboat 1\n' });
  });

  it('forwards to a Service port over its Ready endpoints, and closes', async () => {
    await eventually(
      async () => (await cluster.endpointSlices().list()).items.flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready).length === 2,
      'two ready endpoints',
    );
    const fwd = await cluster.portForward('default', 'svc/web', 80);
    for (let i = 0; i < 4; i++) expect((await httpGet('127.0.0.1', fwd.port, '/')).status).toBe(200);
    await fwd.close();
    await expect(httpGet('127.0.0.1', fwd.port, '/', 1000)).rejects.toThrow();
  });

  it('serves a NodePort Service on 127.0.0.1:nodePort, and closes it when the Service goes', async () => {
    const svc = await cluster.services().create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-np', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const nodePort = svc.spec?.ports?.[0]?.nodePort ?? 0;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const res = await eventually(
      async () => httpGet('127.0.0.1', nodePort, '/', 2000).catch(() => undefined),
      'the node port answers',
      30_000,
    );
    expect(res).toEqual({ status: 200, body: 'tugboat 1\n' });
    await cluster.services().delete('web-np');
    await eventually(async () => !cluster.nodePorts?.ports().includes(nodePort), 'the node port closed', 30_000);
    await expect(httpGet('127.0.0.1', nodePort, '/', 1000)).rejects.toThrow();
  });

  it('rejects a missing target, a port the Service lacks and a malformed target', async () => {
    expect((await rejection(cluster.portForward('default', 'pod/nope', 80))).reason).toBe('NotFound');
    expect((await rejection(cluster.portForward('default', 'svc/web', 81))).message).toMatch(/does not have a service port 81/);
    expect((await rejection(cluster.portForward('default', 'deploy/web', 80))).reason).toBe('BadRequest');
    expect((await rejection(cluster.portForward('default', 'svc/web', 70000))).reason).toBe('Invalid');
  });
});
