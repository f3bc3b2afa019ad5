/**
 * The service controller's load-balancer loop on a mock cluster with a MockCloudProvider (FakeClock):
 * ensure with the cleanup finalizer and status.loadBalancer.ingress, endpoints followed, release on
 * delete and on a type change, provider failures recorded and retried with back-off, classes the
 * provider does not serve left alone, allocateLoadBalancerNodePorts, and no provider at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../../src/model/types.js';
import { MockCloudProvider } from '../../../../src/testing/mock-cloud-provider.js';
import { LOAD_BALANCER_CLEANUP_FINALIZER } from '../../../../src/controllers/service-lb/index.js';
import { deployment, isReady, podsWith, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function lbService(name: string, spec: Partial<NonNullable<Service['spec']>> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  };
}

async function start(provider: MockCloudProvider | undefined, replicas = 2): Promise<MockCluster> {
  m = await startMockCluster({ nodes: 2, cluster: provider ? { cloudProvider: provider } : {} });
  await m.cluster.apply(deployment('web', { replicas }));
  await m.cluster.advanceUntil(async () => (await podsWith(m!.cluster, 'default', { app: 'web' })).filter(isReady).length === replicas, {
    maxMs: 60_000,
  });
  return m;
}

async function reasons(m: MockCluster, name: string): Promise<string[]> {
  return (await m.cluster.events.list('default')).filter((e) => e.involvedObject?.name === name).map((e) => e.reason ?? '');
}

async function untilIngress(m: MockCluster, name: string): Promise<Service> {
  return m.cluster.advanceUntil(
    async () => {
      const s = await m.cluster.services().get(name);
      return s.status?.loadBalancer?.ingress?.length ? s : undefined;
    },
    { maxMs: 60_000 },
  ) as Promise<Service>;
}

describe('Service type LoadBalancer', () => {
  it('gets the cleanup finalizer, a balancer over its Ready endpoints and status.loadBalancer.ingress', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    await m.cluster.apply(lbService('web'));
    const svc = await untilIngress(m, 'web');
    expect(svc.metadata.finalizers).toContain(LOAD_BALANCER_CLEANUP_FINALIZER);
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^192\.0\.2\./);
    const request = cloud.balancers.get('default/web')!;
    expect(request.clusterName).toBe(m.cluster.name);
    expect(request.ports).toHaveLength(1);
    expect(request.ports[0]).toMatchObject({ name: 'http', protocol: 'TCP', port: 80 });
    expect(request.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    const pods = (await podsWith(m.cluster, 'default', { app: 'web' })).filter(isReady);
    expect(request.ports[0]!.endpoints.map((e) => e.ip).sort()).toEqual(pods.map((p) => p.status!.podIP!).sort());
    expect(request.ports[0]!.endpoints.every((e) => e.port === 8080)).toBe(true);
    expect(request.nodes.map((n) => n.name)).toEqual(['node-a', 'node-b']);
    expect(await reasons(m, 'web')).toEqual(expect.arrayContaining(['EnsuringLoadBalancer', 'EnsuredLoadBalancer']));
  });

  it('follows its endpoints (scale up and down) and its ports', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud, 1);
    await m.cluster.apply(lbService('web'));
    await untilIngress(m, 'web');
    await m.cluster.scale('default', 'Deployment', 'web', 3);
    await m.cluster.advanceUntil(() => cloud.balancers.get('default/web')?.ports[0]?.endpoints.length === 3, { maxMs: 60_000 });
    await m.cluster.scale('default', 'Deployment', 'web', 0);
    await m.cluster.advanceUntil(() => cloud.balancers.get('default/web')?.ports[0]?.endpoints.length === 0, { maxMs: 60_000 });
    expect(await reasons(m, 'web')).toContain('UpdatedLoadBalancer');
    await m.cluster.services().patch(
      'web',
      {
        spec: {
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'alt', port: 81 },
          ],
        },
      },
      'merge',
    );
    await m.cluster.advanceUntil(() => cloud.balancers.get('default/web')?.ports.length === 2, { maxMs: 60_000 });
  });

  it('a deleted Service has its balancer released before it goes', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    await m.cluster.apply(lbService('web'));
    await untilIngress(m, 'web');
    await m.cluster.services().delete('web');
    await m.cluster.advanceUntil(async () => (await m.cluster.services().find('web')) === undefined, { maxMs: 60_000 });
    expect(cloud.balancers.has('default/web')).toBe(false);
    expect(cloud.calls.filter((c) => c.method === 'delete').length).toBeGreaterThan(0);
    expect(await reasons(m, 'web')).toEqual(expect.arrayContaining(['DeletingLoadBalancer', 'DeletedLoadBalancer']));
  });

  it('changing the type to ClusterIP releases the balancer, clears the ingress and drops the finalizer', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    await m.cluster.apply(lbService('web'));
    await untilIngress(m, 'web');
    await m.cluster.apply({
      ...lbService('web'),
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    const svc = (await m.cluster.advanceUntil(
      async () => {
        const s = await m.cluster.services().get('web');
        return !s.metadata.finalizers?.includes(LOAD_BALANCER_CLEANUP_FINALIZER) ? s : undefined;
      },
      { maxMs: 60_000 },
    )) as Service;
    expect(svc.status?.loadBalancer?.ingress ?? []).toEqual([]);
    expect(cloud.balancers.has('default/web')).toBe(false);
  });

  it('a failing ensure is recorded as SyncLoadBalancerFailed and retried with back-off until it works', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    cloud.failNext('loadBalancers', 3, 'quota exceeded');
    await m.cluster.apply(lbService('web'));
    const svc = await untilIngress(m, 'web');
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toBeTruthy();
    const failed = cloud.calls.filter((c) => c.failed);
    expect(failed).toHaveLength(3);
    const events = (await m.cluster.events.list('default')).filter((e) => e.reason === 'SyncLoadBalancerFailed');
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]!.type).toBe('Warning');
    expect(events[0]!.message).toBe('Error syncing load balancer: failed to ensure load balancer: quota exceeded');
  });

  it('a failing delete keeps the Service (finalizer held) and is retried until the balancer is released', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    await m.cluster.apply(lbService('web'));
    await untilIngress(m, 'web');
    cloud.failNext('loadBalancers', 2, 'api down');
    await m.cluster.services().delete('web');
    await m.cluster.settled();
    const held = await m.cluster.services().find('web');
    expect(held?.metadata.deletionTimestamp).toBeTruthy();
    expect(cloud.balancers.has('default/web')).toBe(true);
    await m.cluster.advanceUntil(async () => (await m.cluster.services().find('web')) === undefined, { maxMs: 60_000 });
    expect(cloud.balancers.has('default/web')).toBe(false);
    const messages = (await m.cluster.events.list('default')).filter((e) => e.reason === 'SyncLoadBalancerFailed').map((e) => e.message);
    expect(messages).toContain('Error syncing load balancer: failed to delete load balancer: api down');
  });

  it('a loadBalancerClass the provider does not serve is left alone; one it serves is balanced', async () => {
    const cloud = new MockCloudProvider({ loadBalancerClasses: ['example.com/mine'] });
    const m = await start(cloud);
    await m.cluster.apply(lbService('other', { loadBalancerClass: 'example.com/other' }));
    await m.cluster.apply(lbService('mine', { loadBalancerClass: 'example.com/mine' }));
    await untilIngress(m, 'mine');
    await m.advance(10_000);
    const other = await m.cluster.services().get('other');
    expect(other.metadata.finalizers ?? []).not.toContain(LOAD_BALANCER_CLEANUP_FINALIZER);
    expect(other.status?.loadBalancer?.ingress).toBeUndefined();
    expect(cloud.calls.some((c) => c.target === 'default/other')).toBe(false);
  });

  it('allocateLoadBalancerNodePorts: false gives ports without node ports', async () => {
    const cloud = new MockCloudProvider();
    const m = await start(cloud);
    await m.cluster.apply(lbService('web', { allocateLoadBalancerNodePorts: false }));
    await untilIngress(m, 'web');
    expect(cloud.balancers.get('default/web')!.ports[0]!.nodePort).toBeUndefined();
    expect(cloud.balancers.get('default/web')!.ports[0]!.endpoints).toHaveLength(2);
  });

  it('with no cloud provider the Service stays pending: no finalizer, no ingress', async () => {
    const m = await start(undefined);
    await m.cluster.apply(lbService('web'));
    await m.advance(30_000);
    const svc = await m.cluster.services().get('web');
    expect(svc.metadata.finalizers ?? []).toEqual([]);
    expect(svc.status?.loadBalancer?.ingress).toBeUndefined();
  });
});
