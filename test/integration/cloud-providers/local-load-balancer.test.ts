/**
 * The local provider's load balancers on real Docker: a LoadBalancer Service in front of busybox
 * httpd pods gets its own address from the range 127.0.100.0/24 (status.loadBalancer.ingress[].ip)
 * and a TCP listener there on the Service's port; traffic really flows to the pods, keeps flowing
 * through the balancer's own address during a rollout and follows the pods to the next image, and
 * the listener and the address are released once the Service is gone.
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

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
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
  let ip = '';

  it('a LoadBalancer Service gets its own address from 127.0.100.0/24 that serves the pods', async () => {
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
    ip = ingress.ip!;
    expect(ip).toMatch(/^127\.0\.100\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$/);
    expect(cloud.loadBalancers!.addresses.inUse).toEqual([ip]);
    // Its own address: the Service's own port is free there.
    port = ingress.ports![0]!.port;
    expect(port).toBe(18080);
    for (let i = 0; i < 4; i++) expect((await httpGet(ip, port)).body.trim()).toBe('tugboat 1');
  });

  it('keeps serving through its own address during a rollout, then answers from the new pods', async () => {
    let stop = false;
    const answers: string[] = [];
    const traffic = (async () => {
      // Bounded: at most 2,000 requests, one at a time, for as long as the rollout takes.
      for (let i = 0; i < 2000 && !stop; i++) {
        answers.push(
          await httpGet(ip, port).then(
            (r) => r.body.trim(),
            (e: Error) => `error: ${e.message}`,
          ),
        );
      }
    })();
    await cluster!
      .deployments()
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'web', image: TEST_IMAGE_2 }] } } } }, 'strategic');
    await rolledOut(cluster!, 'web');
    await eventually(
      async () => answers.slice(-4).length === 4 && answers.slice(-4).every((b) => b === 'tugboat 2'),
      'answers from the new pods',
    );
    stop = true;
    await traffic;
    const failures = answers.filter((a) => a !== 'tugboat 1' && a !== 'tugboat 2');
    console.log(`rollout through ${ip}:${port}: ${answers.length} requests, ${failures.length} failed`, failures.slice(0, 3));
    expect(answers.length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('deleting the Service releases the balancer (its port refuses, its address is free) and the Service goes', async () => {
    await cluster!.services().delete('web');
    await eventually(async () => (await cluster!.services().find('web')) === undefined, 'the Service gone');
    expect(cloud.loadBalancers!.size).toBe(0);
    expect(cloud.loadBalancers!.addresses.inUse).toEqual([]);
    expect(await refused(ip, port)).toBe(true);
  });
});
