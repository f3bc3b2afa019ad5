/**
 * PersistentVolumes and claims end to end on a mock cluster: static binding (class, access
 * modes, capacity, selector, the smallest that fits), the default StorageClass `standard` and
 * its local provisioner (in memory here), reclaimPolicy Delete and Retain, WaitForFirstConsumer,
 * pods waiting on missing or unbound claims, and a StatefulSet's volumeClaimTemplates with the
 * retention policy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet, StorageClass, core } from '../../../src/model/types.js';
import { isReady, startMockCluster, type MockCluster } from '../../support/mock-cluster.js';
import type { LocalVolumes } from '../../../src/cloud-providers/local/index.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const pvcs = () => m!.cluster.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
const pvs = () => m!.cluster.client<PersistentVolume>('v1', 'PersistentVolume');

function pv(
  name: string,
  size: string,
  f: Partial<core.PersistentVolumeSpec> & { labels?: Record<string, string> } = {},
): PersistentVolume {
  const { labels, ...spec } = f;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      hostPath: { path: `/data/${name}` },
      ...spec,
    },
  };
}

function pvc(name: string, size: string, f: Partial<core.PersistentVolumeClaimSpec> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...f },
  };
}

async function untilPhase(name: string, phase: string): Promise<PersistentVolumeClaim> {
  await m!.cluster.advanceUntil(async () => (await pvcs().find(name))?.status?.phase === phase, { what: `${name} ${phase}` });
  return pvcs().get(name);
}

describe('PersistentVolume binding', () => {
  it('binds a claim to the smallest volume of its class that fits, honouring access modes and selectors', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply([
      pv('small', '1Gi'),
      pv('big', '10Gi'),
      pv('medium', '5Gi'),
      pv('rwx', '5Gi', { accessModes: ['ReadWriteMany'], labels: { tier: 'fast' } }),
      pv('other-class', '2Gi', { storageClassName: 'slow' }),
    ]);
    await m.cluster.apply(pvc('data', '2Gi', { storageClassName: 'manual' }));
    const bound = await untilPhase('data', 'Bound');
    expect(bound.spec?.volumeName).toBe('medium');
    expect(bound.status?.capacity?.storage).toBe('5Gi');
    const vol = await pvs().get('medium');
    expect(vol.spec?.claimRef).toMatchObject({ name: 'data', namespace: 'default', uid: bound.metadata.uid });
    await m.cluster.advanceUntil(async () => (await pvs().get('medium')).status?.phase === 'Bound', { what: 'pv Bound' });
    expect((await pvs().get('small')).status?.phase).toBe('Available');

    await m.cluster.apply(
      pvc('shared', '1Gi', { storageClassName: 'manual', accessModes: ['ReadWriteMany'], selector: { matchLabels: { tier: 'fast' } } }),
    );
    expect((await untilPhase('shared', 'Bound')).spec?.volumeName).toBe('rwx');

    await m.cluster.apply(pvc('huge', '100Gi', { storageClassName: 'manual' }));
    await m.advance(30_000);
    expect((await pvcs().get('huge')).status?.phase).toBe('Pending');
  });

  it('Retain keeps a released volume; Delete reclaims a provisioned one with its data', async () => {
    m = await startMockCluster({ nodes: 1 });
    const provider = m.cluster.volumes as LocalVolumes;
    await m.cluster.apply(pv('kept', '1Gi', { persistentVolumeReclaimPolicy: 'Retain' }));
    await m.cluster.apply(pvc('a', '1Gi', { storageClassName: 'manual' }));
    await untilPhase('a', 'Bound');
    await pvcs().delete('a');
    await m.cluster.advanceUntil(async () => (await pvs().get('kept')).status?.phase === 'Released', { what: 'kept Released' });
    await m.advance(30_000);
    expect((await pvs().find('kept'))?.status?.phase).toBe('Released');

    const sc = await m.cluster.client<StorageClass>('storage.k8s.io/v1', 'StorageClass').get('standard');
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
    await m.cluster.apply(pvc('dyn', '3Gi'));
    const dyn = await untilPhase('dyn', 'Bound');
    expect(dyn.spec?.storageClassName).toBe('standard');
    expect(dyn.spec?.volumeName).toBe(`pvc-${dyn.metadata.uid}`);
    const made = await pvs().get(dyn.spec!.volumeName!);
    expect(made.spec).toMatchObject({
      storageClassName: 'standard',
      persistentVolumeReclaimPolicy: 'Delete',
      capacity: { storage: '3Gi' },
    });
    expect(provider.volumes.has(made.metadata.name!)).toBe(true);
    await pvcs().delete('dyn');
    await m.cluster.advanceUntil(async () => !(await pvs().find(made.metadata.name!)), { what: 'provisioned volume deleted' });
    expect(provider.volumes.has(made.metadata.name!)).toBe(false);
  });

  it('WaitForFirstConsumer provisions only once a node is selected', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'late' },
      provisioner: 'tugboat.dev/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    } as StorageClass);
    await m.cluster.apply(pvc('w', '1Gi', { storageClassName: 'late' }));
    await m.advance(30_000);
    expect((await pvcs().get('w')).status?.phase).toBe('Pending');
    const consumer: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'consumer', namespace: 'default' },
      spec: {
        containers: [{ name: 'app', image: 'web:1', volumeMounts: [{ name: 'd', mountPath: '/d' }] }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'w' } }],
      },
    };
    await m.cluster.apply(consumer);
    const bound = await untilPhase('w', 'Bound');
    const node = (await m.cluster.pods('default').get('consumer')).spec?.nodeName;
    expect(bound.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(node);
    const vol = await pvs().get(bound.spec!.volumeName!);
    expect(vol.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0].matchExpressions?.[0].values).toEqual([node]);
    await m.cluster.advanceUntil(async () => isReady(await m!.cluster.pods('default').get('consumer')), {
      what: 'consumer ready',
      maxMs: 30_000,
    });
  });

  it('a pod waits on a missing or unbound claim with Kubernetes messages, and runs once it is bound', async () => {
    m = await startMockCluster({ nodes: 1 });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app', namespace: 'default' },
      spec: {
        containers: [{ name: 'app', image: 'web:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'x' } }],
      },
    };
    await m.cluster.apply(pod);
    const scheduled = async () =>
      (await m!.cluster.pods('default').get('app')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '';
    await m.cluster.advanceUntil(async () => (await scheduled()).includes('persistentvolumeclaim "x" not found'), {
      what: 'not found message',
    });
    expect((await m.cluster.pods('default').get('app')).status?.phase).toBe('Pending');
    expect((await m.cluster.pods('default').get('app')).spec?.nodeName).toBeUndefined();
    await m.cluster.apply(pvc('x', '1Gi', { storageClassName: 'manual' }));
    await m.cluster.advanceUntil(async () => (await scheduled()).includes('pod has unbound immediate PersistentVolumeClaims'), {
      what: 'unbound message',
    });
    await m.cluster.apply(pv('for-x', '1Gi'));
    await m.cluster.advanceUntil(async () => isReady(await m!.cluster.pods('default').get('app')), { what: 'app ready', maxMs: 30_000 });
  });

  it('the node agent keeps containers waiting on a claim that goes missing after scheduling', async () => {
    m = await startMockCluster({ nodes: 1 });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bound', namespace: 'default' },
      spec: {
        nodeName: 'node-a',
        containers: [{ name: 'app', image: 'web:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'gone' } }],
      },
    };
    await m.cluster.apply(pod);
    await m.cluster.advanceUntil(
      async () =>
        (await m!.cluster.pods('default').get('bound')).status?.containerStatuses?.[0]?.state?.waiting?.message ===
        'persistentvolumeclaim "gone" not found',
      { what: 'waiting message' },
    );
  });
});

describe('StatefulSet volumeClaimTemplates', () => {
  function set(whenScaled: 'Retain' | 'Delete' = 'Retain'): StatefulSet {
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        serviceName: 'web',
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'web:1', volumeMounts: [{ name: 'www', mountPath: '/www' }] }] },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    };
  }
  const ready = async (n: number) =>
    m!.cluster.advanceUntil(
      async () => (await m!.cluster.pods('default').list()).items.filter((p) => isReady(p) && !p.metadata.deletionTimestamp).length === n,
      {
        what: `${n} ready`,
      },
    );

  it('gives each ordinal its own claim, kept when the pod is deleted or scaled away (Retain)', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set());
    await ready(2);
    const claims = (await pvcs().list()).items;
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1']);
    expect(claims.every((c) => c.status?.phase === 'Bound' && c.metadata.labels?.app === 'web')).toBe(true);
    const web0 = await m.cluster.pods('default').get('web-0');
    expect(web0.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName).toBe('www-web-0');
    const uid = (await pvcs().get('www-web-0')).metadata.uid;
    await m.cluster.pods('default').delete('web-0');
    await m.cluster.advanceUntil(
      async () => {
        const p = await m!.cluster.pods('default').find('web-0');
        return !!p && p.metadata.uid !== web0.metadata.uid && isReady(p);
      },
      { what: 'web-0 back' },
    );
    expect((await pvcs().get('www-web-0')).metadata.uid).toBe(uid);
    await m.cluster.client<StatefulSet>('apps/v1', 'StatefulSet', 'default').patch('web', { spec: { replicas: 1 } }, 'merge');
    await ready(1);
    await m.advance(30_000);
    expect((await pvcs().find('www-web-1'))?.status?.phase).toBe('Bound');
  });

  it('whenScaled Delete deletes the claim of a scaled-away pod', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set('Delete'));
    await ready(2);
    await m.cluster.client<StatefulSet>('apps/v1', 'StatefulSet', 'default').patch('web', { spec: { replicas: 1 } }, 'merge');
    await m.cluster.advanceUntil(async () => !(await pvcs().find('www-web-1')), { what: 'www-web-1 deleted', maxMs: 300_000 });
    expect(await pvcs().find('www-web-0')).toBeDefined();
  });
});
