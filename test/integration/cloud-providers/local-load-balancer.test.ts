/**
 * The local provider's load balancers on real Docker: a LoadBalancer Service in front of busybox
 * httpd pods gets a TCP listener on 127.0.0.1 (status.loadBalancer.ingress), traffic really flows
 * to the pods, follows them through a rollout, and the listener is gone once the Service is.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { LocalCloudProvider } from '../../../src/cloud-providers/local/index.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/index.js';
import type { Service } from '../../../src/model/types.js';
import { dockerForTests, TEST_IMAGE_2, testClusterName } from '../../support/docker.js';
import { eventually, httpdDeployment, httpGet, removeLeftovers, rolledOut } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('local-load-balancer');

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe.skipIf(!docker)('LocalCloudProvider load balancers on Docker', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined;
  const cloud = new LocalCloudProvider();

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await Cluster.start({ name, cloudProvider: cloud, nodes: [{ name: 'node-1', runtime: new DockerRuntime() }] });
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  let port = 0;

  it('a LoadBalancer Service gets an ingress on 127.0.0.1 that serves the pods', async () => {
    await cluster!.apply(httpdDeployment('web', 2));
    await rolledOut(cluster!, 'web');
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      // Port 0 is not a valid Service port: a high one, taken or not (the balancer falls back to a free port).
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 18080, targetPort: 8080 }] },
    };
    await cluster!.apply(service);
    const svc = await eventually(async () => {
      const s = await cluster!.services().get('web');
      return s.status?.loadBalancer?.ingress?.length ? s : undefined;
    }, 'an ingress');
    const ingress = svc.status!.loadBalancer!.ingress![0]!;
    expect(ingress.ip).toBe('127.0.0.1');
    port = ingress.ports![0]!.port;
    expect(port).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) expect((await httpGet('127.0.0.1', port)).body.trim()).toBe('tugboat 1');
  });

  it('follows the endpoints through a rollout to the next image', async () => {
    await cluster!
      .deployments()
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'web', image: TEST_IMAGE_2 }] } } } }, 'strategic');
    await rolledOut(cluster!, 'web');
    await eventually(async () => {
      const bodies = [];
      for (let i = 0; i < 4; i++) bodies.push((await httpGet('127.0.0.1', port).catch(() => ({ body: 'x' }))).body.trim());
      return bodies.every((b) => b === 'tugboat 2');
    }, 'every answer from the new pods');
  });

  it('deleting the Service releases the balancer (its port refuses) and the Service goes', async () => {
    await cluster!.services().delete('web');
    await eventually(async () => (await cluster!.services().find('web')) === undefined, 'the Service gone');
    expect(cloud.loadBalancers!.size).toBe(0);
    expect(await refused(port)).toBe(true);
  });
});
