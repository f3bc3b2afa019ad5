/**
 * The volumes part of issue 17 on mock clusters: expansion (allowVolumeExpansion, Resizing,
 * FileSystemResizePending finished by the node agent, Kubernetes' rejections), attach/detach
 * through VolumeAttachments around pod placement, topology (allowedTopologies at provisioning
 * and in the scheduler, the volume's node affinity), and provider failures (ProvisioningFailed,
 * FailedAttachVolume) retried with back-off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_PROVISIONER } from '../../../../src/cloud-providers/local/index.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VolumeAttachment, core } from '../../../../src/model/types.js';
import { MOCK_PROVISIONER, MockCloudProvider } from '../../../../src/testing.js';
import { startMockCluster, ZONE_LABEL, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const pvcs = () => m!.cluster.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
const pvs = () => m!.cluster.client<PersistentVolume>('v1', 'PersistentVolume');
const attachments = () => m!.cluster.client<VolumeAttachment>('storage.k8s.io/v1', 'VolumeAttachment');

function storageClass(name: string, provisioner: string, extra: Partial<StorageClass> = {}): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...extra };
}
function claim(name: string, className: string, size = '1Gi'): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: className, resources: { requests: { storage: size } } },
  };
}
function pod(name: string, claimName: string, extra: Partial<core.PodSpec> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
      containers: [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      ...extra,
    },
  };
}
async function until(what: string, fn: () => Promise<boolean>, maxMs = 120_000): Promise<void> {
  await m!.cluster.advanceUntil(fn, { what, maxMs });
}
const bound = (name: string) => until(`${name} bound`, async () => (await pvcs().find(name))?.status?.phase === 'Bound');
const running = (name: string) =>
  until(`${name} running`, async () => (await m!.cluster.pods('default').find(name))?.status?.phase === 'Running');
async function events(reason: string): Promise<string[]> {
  const list = (await m!.cluster.client('v1', 'Event', 'default').list()).items as { reason?: string; message?: string }[];
  return list.filter((e) => e.reason === reason).map((e) => e.message ?? '');
}
async function rejection(
  p: Promise<unknown>,
): Promise<{ reason?: string; message?: string; causes?: { field?: string; message?: string }[] }> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { reason?: string; message?: string; causes?: { field?: string; message?: string }[] } | undefined;
  expect(err).toBeDefined();
  return err!;
}

describe('volume expansion', () => {
  it('grows a bound claim of an expandable class: the volume, then the claim status; shrinking and other classes are refused', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply([
      storageClass('grow', LOCAL_PROVISIONER, { allowVolumeExpansion: true }),
      claim('data', 'grow'),
      claim('fixed', 'standard'),
    ]);
    await bound('data');
    await bound('fixed');
    const before = await pvcs().get('data');
    await pvcs().patch('data', { spec: { resources: { requests: { storage: '2Gi' } } } }, 'merge');
    await until('resized', async () => (await pvcs().get('data')).status?.capacity?.storage === '2Gi');
    expect((await pvs().get(before.spec!.volumeName!)).spec?.capacity?.storage).toBe('2Gi');
    expect((await pvcs().get('data')).status?.conditions ?? []).toEqual([]);
    expect(await events('Resizing')).toContain(`External resizer is resizing volume ${before.spec!.volumeName}`);
    expect(await events('VolumeResizeSuccessful')).toEqual(['Resize volume succeeded']);

    const shrink = await rejection(pvcs().patch('data', { spec: { resources: { requests: { storage: '1Gi' } } } }, 'merge'));
    expect(shrink.reason).toBe('Invalid');
    expect(shrink.causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.resources.requests.storage: Forbidden: field can not be less than previous value',
    ]);
    const fixed = await rejection(pvcs().patch('fixed', { spec: { resources: { requests: { storage: '5Gi' } } } }, 'merge'));
    expect(fixed.reason).toBe('Forbidden');
    expect(fixed.message).toBe(
      'persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    expect((await pvcs().get('fixed')).spec?.resources?.requests?.storage).toBe('1Gi');
  });

  it('shows FileSystemResizePending until a pod using the claim runs, then the node agent finishes it', async () => {
    const cloud = new MockCloudProvider({ volumes: { nodeExpansion: true } });
    m = await startMockCluster({ nodes: 1, cluster: { cloudProvider: cloud } });
    await m.cluster.apply([storageClass('disk', MOCK_PROVISIONER, { allowVolumeExpansion: true }), claim('data', 'disk')]);
    await bound('data');
    await pvcs().patch('data', { spec: { resources: { requests: { storage: '3Gi' } } } }, 'merge');
    await until(
      'pending',
      async () => (await pvcs().get('data')).status?.conditions?.some((c) => c.type === 'FileSystemResizePending') ?? false,
    );
    const pending = (await pvcs().get('data')).status!;
    expect(pending.capacity?.storage).toBe('1Gi');
    expect(pending.conditions?.find((c) => c.type === 'FileSystemResizePending')).toMatchObject({
      status: 'True',
      message: 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.',
    });
    expect(cloud.volumes.disks.get((await pvcs().get('data')).spec!.volumeName!)?.capacity).toBe('3Gi');
    await m.cluster.apply(pod('user', 'data'));
    await running('user');
    await until('finished', async () => (await pvcs().get('data')).status?.capacity?.storage === '3Gi');
    expect((await pvcs().get('data')).status?.conditions ?? []).toEqual([]);
    expect((await events('FileSystemResizeSuccessful'))[0]).toMatch(/^MountVolume.NodeExpandVolume succeeded for volume "pvc-.*" node-a$/);
  });
});

describe('attach and detach', () => {
  it('attaches the volume to the pod’s node before it mounts, and detaches it once the pod is gone', async () => {
    const cloud = new MockCloudProvider();
    m = await startMockCluster({ nodes: 2, cluster: { cloudProvider: cloud } });
    await m.cluster.apply([storageClass('disk', MOCK_PROVISIONER), claim('data', 'disk')]);
    await bound('data');
    const pvName = (await pvcs().get('data')).spec!.volumeName!;
    expect((await attachments().list()).items).toEqual([]);
    cloud.failNext('volumes', 2, 'disk busy');
    await m.cluster.apply(pod('user', 'data', { nodeName: 'node-b' }));
    await until('failed attach seen', async () => (await events('FailedAttachVolume')).length > 0);
    const waiting = (await m.cluster.pods('default').get('user')).status?.containerStatuses?.[0]?.state?.waiting;
    expect(waiting?.reason).toBe('ContainerCreating');
    expect(await events('FailedAttachVolume')).toContain(`AttachVolume.Attach failed for volume "${pvName}" : disk busy`);
    await running('user');
    const [va] = (await attachments().list()).items;
    expect(va?.spec).toEqual({ attacher: MOCK_PROVISIONER, nodeName: 'node-b', source: { persistentVolumeName: pvName } });
    expect(va?.status?.attached).toBe(true);
    expect(va?.metadata.name).toMatch(/^csi-[0-9a-f]{64}$/);
    expect([...(cloud.volumes.disks.get(pvName)?.attachedTo ?? [])]).toEqual(['node-b']);
    expect(await events('SuccessfulAttachVolume')).toContain(`AttachVolume.Attach succeeded for volume "${pvName}"`);

    await m.cluster.pods('default').delete('user');
    await until('detached', async () => (await attachments().list()).items.length === 0, 300_000);
    expect(cloud.volumes.disks.get(pvName)?.attachedTo.size).toBe(0);
    expect(cloud.calls.filter((c) => c.part === 'volumes').map((c) => c.method)).toContain('detach');
  });

  it('leaves ProvisioningFailed events when provisioning fails and binds after the retries', async () => {
    const cloud = new MockCloudProvider();
    m = await startMockCluster({ nodes: 1, cluster: { cloudProvider: cloud } });
    cloud.failNext('volumes', 2, 'quota exceeded');
    await m.cluster.apply([storageClass('disk', MOCK_PROVISIONER), claim('data', 'disk')]);
    await bound('data');
    expect(await events('ProvisioningFailed')).toContain('failed to provision volume with StorageClass "disk": quota exceeded');
    expect(cloud.calls.filter((c) => c.method === 'provision' && c.failed).length).toBe(2);
  });
});

describe('volume topology', () => {
  it('provisions WaitForFirstConsumer volumes only on nodes inside allowedTopologies, and pins pods to an Immediate volume’s topology', async () => {
    const cloud = new MockCloudProvider();
    m = await startMockCluster({ nodes: 4, zones: ['zone-a', 'zone-b'], cluster: { cloudProvider: cloud } });
    const zone = (z: string) => ({ allowedTopologies: [{ matchLabelExpressions: [{ key: ZONE_LABEL, values: [z] }] }] });
    await m.cluster.apply([
      storageClass('late-b', MOCK_PROVISIONER, { volumeBindingMode: 'WaitForFirstConsumer', ...zone('zone-b') }),
      storageClass('now-a', MOCK_PROVISIONER, zone('zone-a')),
      storageClass('late-c', MOCK_PROVISIONER, { volumeBindingMode: 'WaitForFirstConsumer', ...zone('zone-c') }),
      claim('b', 'late-b'),
      claim('a', 'now-a'),
      claim('c', 'late-c'),
    ]);
    await bound('a');
    const pvA = await pvs().get((await pvcs().get('a')).spec!.volumeName!);
    expect(pvA.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: ['zone-a'] }] },
    ]);
    await m.cluster.apply([pod('pa', 'a'), pod('pb', 'b'), pod('pc', 'c')]);
    await running('pa');
    await running('pb');
    const nodeZone = async (p: string) => {
      const nodeName = (await m!.cluster.pods('default').get(p)).spec?.nodeName ?? '';
      return (await m!.cluster.client('v1', 'Node').get(nodeName)).metadata.labels?.[ZONE_LABEL];
    };
    expect(await nodeZone('pa')).toBe('zone-a');
    expect(await nodeZone('pb')).toBe('zone-b');
    const pvB = await pvs().get((await pvcs().get('b')).spec!.volumeName!);
    expect(JSON.stringify(pvB.spec?.nodeAffinity)).toContain('zone-b');
    const pc = await m.cluster.pods('default').get('pc');
    expect(pc.spec?.nodeName).toBeUndefined();
    const scheduled = pc.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(scheduled?.status).toBe('False');
    expect(scheduled?.message).toContain("node(s) didn't find available persistent volumes to bind");
    expect((await pvcs().get('c')).status?.phase).toBe('Pending');
  });
});
