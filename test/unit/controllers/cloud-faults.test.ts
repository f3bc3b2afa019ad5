import { stopOnFakeClock } from '../../support/stop-on-fake-clock.js';
/**
 * A cloud that fails or is slow, for each part (MockCloudProvider's failNext and latencyMs, on a
 * FakeClock): failures leave Warning Events with Kubernetes' reasons (SyncLoadBalancerFailed,
 * ProvisioningFailed, VolumeFailedDelete, FailedToScaleUpGroup), are retried with back-off, and
 * lose nothing: every balancer, volume and node asked for is made exactly once and released.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { LocalNodeGroups } from '../../../src/cloud-providers/local/index.js';
import { MockCloudProvider, type MockCloudProviderOptions } from '../../../src/testing/mock-cloud-provider.js';
import { MOCK_PROVISIONER } from '../../../src/testing/mock-volumes.js';
import type { PersistentVolume, PersistentVolumeClaim, Service } from '../../../src/model/types.js';
import { deployment, nodeSpec } from '../../support/mock-cluster.js';

let cluster: Cluster | undefined;
let clock: FakeClock;
afterEach(async () => {
  if (!cluster) return;
  await stopOnFakeClock(cluster, clock);
  cluster = undefined;
});

async function start(options: (runtime: MockRuntime) => MockCloudProviderOptions): Promise<{ c: Cluster; cloud: MockCloudProvider }> {
  clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const runtime = new MockRuntime({ clock });
  const cloud = new MockCloudProvider({ clock, ...options(runtime) });
  cluster = await Cluster.start({
    clock,
    cloudProvider: cloud,
    nodes: [nodeSpec({ name: 'node-a', capacity: { cpu: '1', memory: '4Gi', pods: '110' } }, runtime)],
  });
  return { c: cluster, cloud };
}

async function warnings(c: Cluster, reason: string): Promise<Array<{ name?: string; message?: string; count?: number }>> {
  return (await c.events.list(''))
    .filter((e) => e.type === 'Warning' && e.reason === reason)
    .map((e) => ({ name: e.involvedObject?.name, message: e.message, count: e.count }));
}

function lb(name: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

const claim = (name: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'disk', resources: { requests: { storage: '1Gi' } } },
});

/** The mock's disks as a StorageClass. */
async function diskClass(c: Cluster): Promise<void> {
  await c.apply({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'disk' },
    provisioner: MOCK_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  });
}

describe('loadBalancers part', () => {
  it('slow (5 s a call): every Service gets its balancer once, and each is released on delete', async () => {
    const { c, cloud } = await start(() => ({ latencyMs: 5000 }));
    for (const n of ['a', 'b', 'c']) await c.apply(lb(n));
    await c.advanceUntil(
      async () => (await c.services().list()).items.filter((s) => s.status?.loadBalancer?.ingress?.length).length === 3,
      { maxMs: 300_000 },
    );
    expect([...cloud.balancers.keys()].sort()).toEqual(['default/a', 'default/b', 'default/c']);
    const ips = (await c.services().list()).items.map((s) => s.status?.loadBalancer?.ingress?.[0]?.ip);
    expect(new Set(ips).size).toBe(3);
    for (const n of ['a', 'b', 'c']) await c.services().delete(n);
    await c.advanceUntil(async () => (await c.services().list()).items.filter((s) => s.spec?.type === 'LoadBalancer').length === 0, {
      maxMs: 300_000,
    });
    expect(cloud.balancers.size).toBe(0);
    expect(
      cloud.calls
        .filter((x) => x.method === 'delete')
        .map((x) => x.target)
        .sort(),
    ).toEqual(['default/a', 'default/b', 'default/c']);
  });

  it('failing and slow: SyncLoadBalancerFailed on each failure, retried with back-off, then ensured', async () => {
    const { c, cloud } = await start(() => ({ latencyMs: 1000 }));
    cloud.failNext('loadBalancers', 4, 'api rate limit', 'ensure');
    await c.apply(lb('web'));
    await c.advanceUntil(async () => (await c.services().get('web')).status?.loadBalancer?.ingress?.length, { maxMs: 600_000 });
    const failed = await warnings(c, 'SyncLoadBalancerFailed');
    expect(failed[0]!.message).toBe('Error syncing load balancer: failed to ensure load balancer: api rate limit');
    expect(failed.reduce((n, e) => n + (e.count ?? 1), 0)).toBe(4);
    const ensures = cloud.calls.filter((x) => x.method === 'ensure');
    expect(ensures.filter((x) => x.failed)).toHaveLength(4);
    expect(ensures.filter((x) => !x.failed).length).toBeGreaterThanOrEqual(1);
    expect(cloud.balancers.size).toBe(1);
  });
});

describe('volumes part', () => {
  it('failing: ProvisioningFailed on the claim, retried until Bound, one volume made', async () => {
    const { c, cloud } = await start(() => ({}));
    const local = { volumes: cloud.volumes.disks };
    await diskClass(c);
    cloud.failNext('volumes', 3, 'quota exceeded');
    await c.apply(claim('data'));
    const claims = () => c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
    await c.advanceUntil(async () => (await claims().get('data')).status?.phase === 'Bound', { maxMs: 600_000 });
    const failed = await warnings(c, 'ProvisioningFailed');
    expect(failed[0]).toMatchObject({ name: 'data', message: 'failed to provision volume with StorageClass "disk": quota exceeded' });
    expect(failed.reduce((n, e) => n + (e.count ?? 1), 0)).toBe(3);
    expect(local.volumes.size).toBe(1);

    // A failing delete (reclaimPolicy Delete): VolumeFailedDelete, retried, the volume and its PV gone.
    const pvName = (await claims().get('data')).spec!.volumeName!;
    cloud.failNext('volumes', 2, 'disk busy', 'delete');
    await claims().delete('data');
    const pvs = () => c.client<PersistentVolume>('v1', 'PersistentVolume');
    await c.advanceUntil(async () => !(await pvs().find(pvName)), { maxMs: 600_000 });
    expect((await warnings(c, 'VolumeFailedDelete'))[0]).toMatchObject({ name: pvName, message: 'disk busy' });
    expect(local.volumes.size).toBe(0);
  });

  it('slow (10 s a call): the claim is bound once the volume is made, and only one is made', async () => {
    const { c, cloud } = await start(() => ({ latencyMs: 10_000 }));
    const local = { volumes: cloud.volumes.disks };
    await diskClass(c);
    await c.apply(claim('slow'));
    const claims = () => c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
    await clock.advance(5000);
    await c.settled();
    expect((await claims().get('slow')).status?.phase).toBe('Pending');
    await c.advanceUntil(async () => (await claims().get('slow')).status?.phase === 'Bound', { maxMs: 120_000 });
    expect(cloud.calls.filter((x) => x.method === 'provision')).toHaveLength(1);
    expect(local.volumes.size).toBe(1);
  });
});

describe('nodeGroups part', () => {
  const pool = (runtime: MockRuntime) =>
    new LocalNodeGroups([{ name: 'pool', min: 0, max: 3, template: { runtime, capacity: { cpu: '2', memory: '4Gi', pods: '110' } } }]);

  it('a failing increaseSize: FailedToScaleUpGroup, retried, exactly one node added', async () => {
    const { c, cloud } = await start((rt) => ({ nodeGroups: pool(rt) }));
    cloud.failNext('nodeGroups', 2, 'instance quota exceeded', 'increaseSize');
    await c.apply(deployment('web', { replicas: 2, requests: { cpu: '800m' } }));
    await c.advanceUntil(async () => (await c.pods().list()).items.filter((p) => p.status?.phase === 'Running').length === 2, {
      maxMs: 600_000,
    });
    const failed = await warnings(c, 'FailedToScaleUpGroup');
    expect(failed[0]).toMatchObject({
      name: 'cluster-autoscaler-status',
      message: 'Scale-up failed for group pool: instance quota exceeded',
    });
    expect(cloud.calls.filter((x) => x.method === 'increaseSize' && !x.failed)).toHaveLength(1);
    expect((await c.nodes().list()).items.map((n) => n.metadata.name).sort()).toEqual(['node-a', 'pool-1']);
  });

  it('slow (3 s a call): one scale-up for the pending pods, not one per reconcile', async () => {
    const { c, cloud } = await start((rt) => ({ nodeGroups: pool(rt), latencyMs: 3000 }));
    await c.apply(deployment('web', { replicas: 3, requests: { cpu: '800m' } }));
    await c.advanceUntil(async () => (await c.pods().list()).items.filter((p) => p.status?.phase === 'Running').length === 3, {
      maxMs: 600_000,
    });
    // node-a takes one; the other two fit on one 2-cpu pool node.
    expect(cloud.calls.filter((x) => x.method === 'increaseSize')).toHaveLength(1);
    expect((await c.nodes().list()).items.map((n) => n.metadata.name).sort()).toEqual(['node-a', 'pool-1']);
  });
});
