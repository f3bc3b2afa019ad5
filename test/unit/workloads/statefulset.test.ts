/**
 * StatefulSets end to end on a mock cluster: ordinal pods created one at a time (OrderedReady)
 * or all at once (Parallel), hostname and subdomain, scale down in reverse order,
 * minReadySeconds, RollingUpdate with partition and maxUnavailable, OnDelete,
 * ControllerRevisions and the status counters, on a FakeClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerRevision, Pod, StatefulSet, apps } from '../../../src/model/types.js';
import { isReady, startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function statefulSet(name: string, f: Partial<apps.StatefulSetSpec> & { image?: string } = {}): StatefulSet {
  const { image, ...spec } = f;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: image ?? 'web:1',
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
      ...spec,
    },
  };
}

const sets = () => m!.cluster.client<StatefulSet>('apps/v1', 'StatefulSet', 'default');
const getSet = (name: string) => sets().get(name);
const podsOf = async (name: string): Promise<Pod[]> => (await m!.cluster.pods('default').list({ labelSelector: `app=${name}` })).items;
const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const names = (pods: Pod[]) =>
  live(pods)
    .map((p) => p.metadata.name ?? '')
    .sort();
const setImage = (name: string, image: string) =>
  sets().patch(name, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'strategic');

async function untilReady(name: string, count: number, image = 'web:1'): Promise<void> {
  await m!.cluster.advanceUntil(
    async () => {
      const pods = live(await podsOf(name));
      const s = await getSet(name);
      return (
        pods.length === count &&
        pods.every((p) => isReady(p) && p.spec?.containers[0].image === image) &&
        s.status?.readyReplicas === count &&
        s.status?.observedGeneration === s.metadata.generation
      );
    },
    { what: `${name}: ${count} ready pods of ${image}`, maxMs: 600_000 },
  );
}

describe('StatefulSet on a mock cluster', () => {
  it('creates web-0..web-2 in order, each Running and Ready before the next, with stable identity', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('web:1', { readyAfterMs: 3000 });
    await m.cluster.apply(statefulSet('web'));
    // Never a pod ahead of a predecessor that is not ready.
    const violations: string[] = [];
    await m.cluster.advanceUntil(
      async () => {
        const pods = live(await podsOf('web')).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
        for (let i = 0; i < pods.length; i++) {
          if (pods[i].metadata.name !== `web-${i}`) violations.push(`unexpected ${pods[i].metadata.name}`);
          if (i > 0 && !isReady(pods[i - 1])) violations.push(`${pods[i].metadata.name} before ${pods[i - 1].metadata.name} was ready`);
        }
        return pods.length === 3 && pods.every(isReady);
      },
      { what: 'three ready pods in order', maxMs: 600_000 },
    );
    expect(violations).toEqual([]);
    const pods = await podsOf('web');
    for (const p of pods) {
      const n = p.metadata.name!;
      expect(p.spec?.hostname).toBe(n);
      expect(p.spec?.subdomain).toBe('web');
      expect(p.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe(n);
      expect(p.metadata.labels?.['apps.kubernetes.io/pod-index']).toBe(n.split('-')[1]);
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
    }
    await untilReady('web', 3);
    const s = await getSet('web');
    const [cr] = (await m.cluster.client<ControllerRevision>('apps/v1', 'ControllerRevision', 'default').list()).items;
    expect(cr.revision).toBe(1);
    expect(s.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: cr.metadata.name,
      updateRevision: cr.metadata.name,
    });
    expect(pods.every((p) => p.metadata.labels?.['controller-revision-hash'] === cr.metadata.name)).toBe(true);
  });

  it('Parallel creates every pod at once', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('web:1', { readyAfterMs: 3000 });
    await m.cluster.apply(statefulSet('db', { podManagementPolicy: 'Parallel', replicas: 4 }));
    await m.cluster.advanceUntil(async () => live(await podsOf('db')).length === 4, { what: 'four pods' });
    expect((await podsOf('db')).filter(isReady)).toHaveLength(0);
    await untilReady('db', 4);
  });

  it('scales down in reverse order, one pod at a time, and a deleted pod comes back with its name', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('web:1', { readyAfterMs: 1000, stopMs: 2000 });
    await m.cluster.apply(statefulSet('web', { replicas: 4 }));
    await untilReady('web', 4);
    await sets().patch('web', { spec: { replicas: 1 } }, 'merge');
    const seen: string[] = [];
    let maxTerminating = 0;
    await m.cluster.advanceUntil(
      async () => {
        const terminating = (await podsOf('web')).filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name!);
        maxTerminating = Math.max(maxTerminating, terminating.length);
        for (const t of terminating) if (!seen.includes(t)) seen.push(t);
        return JSON.stringify(names(await podsOf('web'))) === '["web-0"]' && (await podsOf('web')).length === 1;
      },
      { what: 'scaled to web-0', maxMs: 600_000 },
    );
    expect(seen).toEqual(['web-3', 'web-2', 'web-1']);
    expect(maxTerminating).toBe(1);
    const before = (await podsOf('web'))[0].metadata.uid;
    await m.cluster.pods('default').delete('web-0');
    await m.cluster.advanceUntil(
      async () => {
        const p = await m!.cluster.pods('default').find('web-0');
        return !!p && p.metadata.uid !== before && isReady(p);
      },
      { what: 'web-0 recreated' },
    );
  });

  it('minReadySeconds holds the next pod until the previous one is available', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('web:1', { readyAfterMs: 1000 });
    await m.cluster.apply(statefulSet('web', { replicas: 2, minReadySeconds: 30 }));
    await m.cluster.advanceUntil(async () => (await podsOf('web')).some(isReady), { what: 'web-0 ready' });
    const readyAt = m.clock.nowMs();
    await m.cluster.advanceUntil(async () => (await podsOf('web')).length === 2, { what: 'web-1 created', maxMs: 120_000 });
    expect(m.clock.nowMs() - readyAt).toBeGreaterThanOrEqual(29_000);
    await m.cluster.advanceUntil(async () => (await getSet('web')).status?.availableReplicas === 2, {
      what: 'both available',
      maxMs: 120_000,
    });
  });

  it('RollingUpdate replaces pods from the highest ordinal down and stops at the partition; lowering it finishes the rollout', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('web:1', { readyAfterMs: 1000 });
    m.runtime.image('web:2', { readyAfterMs: 1000 });
    await m.cluster.apply(statefulSet('web', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await untilReady('web', 3);
    await setImage('web', 'web:2');
    const order: string[] = [];
    await m.cluster.advanceUntil(
      async () => {
        for (const p of live(await podsOf('web')))
          if (p.spec?.containers[0].image === 'web:2' && !order.includes(p.metadata.name!)) order.push(p.metadata.name!);
        const s = await getSet('web');
        return s.status?.updatedReplicas === 2 && s.status.readyReplicas === 3;
      },
      { what: 'two updated', maxMs: 600_000 },
    );
    expect(order).toEqual(['web-2', 'web-1']);
    await m.advance(30_000);
    expect((await m.cluster.pods('default').get('web-0')).spec?.containers[0].image).toBe('web:1');
    let s = await getSet('web');
    expect(s.status?.currentRevision).not.toBe(s.status?.updateRevision);
    expect(s.status?.currentReplicas).toBe(1);
    await sets().patch('web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, 'merge');
    await untilReady('web', 3, 'web:2');
    await m.cluster.advanceUntil(
      async () => {
        s = await getSet('web');
        return s.status?.currentRevision === s.status?.updateRevision && s.status?.currentReplicas === 3;
      },
      { what: 'rollout complete' },
    );
    const revisions = (await m.cluster.client<ControllerRevision>('apps/v1', 'ControllerRevision', 'default').list()).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('maxUnavailable 2 replaces two pods at a time', async () => {
    m = await startMockCluster({ nodes: 2 });
    m.runtime.image('web:1', { readyAfterMs: 1000 });
    m.runtime.image('web:2', { readyAfterMs: 5000, stopMs: 1000 });
    await m.cluster.apply(
      statefulSet('web', {
        replicas: 4,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
      }),
    );
    await untilReady('web', 4);
    await setImage('web', 'web:2');
    let maxDown = 0;
    await m.cluster.advanceUntil(
      async () => {
        const pods = await podsOf('web');
        const down = 4 - live(pods).filter(isReady).length;
        maxDown = Math.max(maxDown, down);
        const s = await getSet('web');
        return s.status?.updatedReplicas === 4 && s.status.readyReplicas === 4;
      },
      { what: 'all updated', maxMs: 600_000 },
    );
    expect(maxDown).toBe(2);
  });

  it('OnDelete leaves pods alone until they are deleted, then recreates them at the update revision', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('web:1', { readyAfterMs: 1000 });
    m.runtime.image('web:2', { readyAfterMs: 1000 });
    await m.cluster.apply(statefulSet('web', { replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    await untilReady('web', 2);
    await setImage('web', 'web:2');
    await m.advance(60_000);
    expect(live(await podsOf('web')).map((p) => p.spec?.containers[0].image)).toEqual(['web:1', 'web:1']);
    await m.cluster.pods('default').delete('web-1');
    await m.cluster.advanceUntil(async () => (await m!.cluster.pods('default').find('web-1'))?.spec?.containers[0].image === 'web:2', {
      what: 'web-1 at web:2',
    });
    expect((await m.cluster.pods('default').get('web-0')).spec?.containers[0].image).toBe('web:1');
    await m.cluster.advanceUntil(async () => (await getSet('web')).status?.updatedReplicas === 1, { what: 'status' });
  });
});
