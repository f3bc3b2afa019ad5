/**
 * persistentVolumeClaimRetentionPolicy end to end on a mock cluster, as Kubernetes 1.30's
 * StatefulSet controller (updateClaimOwnerRefForSetAndPod): whenDeleted Delete gives each claim
 * a plain (non-controller) ownerReference to the set, whenScaled Delete moves a scaled-away
 * ordinal's reference to its pod; the garbage collector then removes the claims (and the local
 * provisioner their volumes, reclaimPolicy Delete). Retain gives no references.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalVolumes } from '../../../../src/cloud-providers/local/index.js';
import type { OwnerReference, PersistentVolumeClaim, StatefulSet, apps } from '../../../../src/model/types.js';
import { isReady, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const pvcs = () => m!.cluster.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
const sets = () => m!.cluster.client<StatefulSet>('apps/v1', 'StatefulSet', 'default');

function set(policy: apps.StatefulSetPersistentVolumeClaimRetentionPolicy, replicas = 2): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'web',
      replicas,
      selector: { matchLabels: { app: 'web' } },
      persistentVolumeClaimRetentionPolicy: policy,
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

async function ready(n: number): Promise<void> {
  await m!.cluster.advanceUntil(
    async () => (await m!.cluster.pods('default').list()).items.filter((p) => isReady(p) && !p.metadata.deletionTimestamp).length === n,
    { what: `${n} ready` },
  );
}

async function owners(claim: string): Promise<OwnerReference[] | undefined> {
  return (await pvcs().find(claim))?.metadata.ownerReferences;
}

describe('StatefulSet persistentVolumeClaimRetentionPolicy', () => {
  it('whenDeleted Delete: each claim is owned by the set (not as controller) and goes with it, its volume too', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set({ whenDeleted: 'Delete', whenScaled: 'Retain' }));
    await ready(2);
    const s = await sets().get('web');
    const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: s.metadata.uid };
    await m.cluster.advanceUntil(async () => (await owners('www-web-1'))?.length === 1, { what: 'owner refs' });
    expect(await owners('www-web-0')).toEqual([ref]);
    expect(await owners('www-web-1')).toEqual([ref]);
    // Scaling down with whenScaled Retain keeps the claim, still owned by the set.
    await sets().patch('web', { spec: { replicas: 1 } }, 'merge');
    await ready(1);
    await m.advance(10_000);
    expect(await owners('www-web-1')).toEqual([ref]);

    const volumes = m.cluster.volumes as LocalVolumes;
    expect(volumes.volumes.size).toBe(2);
    await sets().delete('web');
    await m.cluster.advanceUntil(async () => (await pvcs().list()).items.length === 0, { what: 'claims collected', maxMs: 300_000 });
    await m.cluster.advanceUntil(async () => volumes.volumes.size === 0, { what: 'volumes deleted', maxMs: 300_000 });
    expect((await m.cluster.pods('default').list()).items).toEqual([]);
  });

  it('whenScaled Delete: a scaled-away ordinal’s claim is moved to its pod and collected with it; the rest go with the set', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set({ whenDeleted: 'Delete', whenScaled: 'Delete' }, 3));
    await ready(3);
    const s = await sets().get('web');
    const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: s.metadata.uid };
    await m.cluster.advanceUntil(async () => (await owners('www-web-2'))?.length === 1, { what: 'owner refs' });
    const web2 = await m.cluster.pods('default').get('web-2');
    // Every version of the claim between the scale-down and its removal, from a watch.
    const seen: (OwnerReference[] | undefined)[] = [];
    const stop = new AbortController();
    const rv = (await pvcs().get('www-web-2')).metadata.resourceVersion;
    const watching = (async () => {
      for await (const e of pvcs().watch({ resourceVersion: rv, signal: stop.signal, fieldSelector: 'metadata.name=www-web-2' }))
        seen.push(e.object.metadata.ownerReferences);
    })().catch(() => undefined);
    await sets().patch('web', { spec: { replicas: 2 } }, 'merge');
    await m.cluster.advanceUntil(async () => (await pvcs().find('www-web-2')) === undefined, {
      what: 'www-web-2 collected',
      maxMs: 300_000,
    });
    stop.abort();
    await watching;
    expect(seen.some((r) => r?.length === 1 && r[0].kind === 'Pod' && r[0].uid === web2.metadata.uid && r[0].name === 'web-2')).toBe(true);
    expect(seen.flat().some((r) => r?.controller)).toBe(false);
    expect(await owners('www-web-0')).toEqual([setRef]);
    expect(await owners('www-web-1')).toEqual([setRef]);
    await sets().delete('web');
    await m.cluster.advanceUntil(async () => (await pvcs().list()).items.length === 0, { what: 'claims collected', maxMs: 300_000 });
  });

  it('Retain: claims carry no reference and outlive the set; a policy changed to Retain drops the references', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set({ whenDeleted: 'Delete', whenScaled: 'Delete' }, 1));
    await ready(1);
    await m.cluster.advanceUntil(async () => (await owners('www-web-0'))?.length === 1, { what: 'owner ref' });
    await sets().patch('web', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } } }, 'merge');
    await m.cluster.advanceUntil(async () => ((await owners('www-web-0')) ?? []).length === 0, { what: 'refs dropped' });
    await sets().delete('web');
    await m.cluster.advanceUntil(async () => (await m!.cluster.pods('default').list()).items.length === 0, {
      what: 'pods gone',
      maxMs: 300_000,
    });
    await m.advance(30_000);
    expect((await pvcs().get('www-web-0')).status?.phase).toBe('Bound');
  });

  it('whenDeleted Delete with an orphaning delete keeps the claims, their reference to the set removed', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(set({ whenDeleted: 'Delete', whenScaled: 'Retain' }, 1));
    await ready(1);
    await m.cluster.advanceUntil(async () => (await owners('www-web-0'))?.length === 1, { what: 'owner ref' });
    await sets().delete('web', { propagationPolicy: 'Orphan' });
    await m.cluster.advanceUntil(async () => !(await sets().find('web')), { what: 'set gone', maxMs: 300_000 });
    await m.cluster.advanceUntil(
      async () => {
        const claim = await pvcs().find('www-web-0');
        return !!claim && (claim.metadata.ownerReferences ?? []).length === 0;
      },
      { what: 'orphaned', maxMs: 300_000 },
    );
    await m.advance(30_000);
    expect(await pvcs().find('www-web-0')).toBeDefined();
  });
});
