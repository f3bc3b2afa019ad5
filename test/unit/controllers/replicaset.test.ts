import { afterEach, describe, expect, it } from 'vitest';
import { replicaSetController } from '../../../src/controllers/replicaset.js';
import type { ReplicaSet } from '../../../src/model/types.js';
import { activePods, container, markReady, pods, startHarness, type Harness } from './helpers.js';

function rs(name: string, replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
      ...extra,
    },
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('ReplicaSet controller', () => {
  it('creates pods from the template with owner references, then scales down', async () => {
    h = await startHarness([replicaSetController()]);
    const rsc = h.cluster.context.client<ReplicaSet>('apps/v1', 'ReplicaSet', 'default');
    const created = await rsc.create(rs('web', 3));
    await h.idle();
    let list = await activePods(h.cluster);
    expect(list).toHaveLength(3);
    for (const p of list) {
      expect(p.metadata.name).toMatch(/^web-/);
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    let status = (await rsc.get('web')).status;
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      fullyLabeledReplicas: 3,
      observedGeneration: created.metadata.generation,
    });

    await markReady(h, (p) => p.metadata.name !== list[0].metadata.name);
    await h.idle();
    status = (await rsc.get('web')).status;
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 2, availableReplicas: 2 });

    await rsc.patch('web', { spec: { replicas: 1 } });
    await h.idle();
    list = await activePods(h.cluster);
    expect(list).toHaveLength(1);
    // the not-ready pod went first, then the newest ready one
    expect(list[0].status?.conditions?.[0]?.status).toBe('True');
  });

  it('replaces a deleted pod, adopts a matching orphan and releases a relabelled pod', async () => {
    h = await startHarness([replicaSetController()]);
    const rsc = h.cluster.context.client<ReplicaSet>('apps/v1', 'ReplicaSet', 'default');
    await pods(h.cluster).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', labels: { app: 'web' } },
      spec: { containers: [container] },
    });
    const created = await rsc.create(rs('web', 2));
    await h.idle();
    let list = await activePods(h.cluster);
    expect(list).toHaveLength(2);
    const orphan = list.find((p) => p.metadata.name === 'orphan');
    expect(orphan?.metadata.ownerReferences?.[0]?.uid).toBe(created.metadata.uid);

    await pods(h.cluster).patch('orphan', { metadata: { labels: { app: 'other' } } });
    await h.idle();
    const released = await pods(h.cluster).get('orphan');
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
    list = (await activePods(h.cluster)).filter((p) => p.metadata.labels?.app === 'web');
    expect(list).toHaveLength(2);

    await pods(h.cluster).delete(list[0].metadata.name!, { gracePeriodSeconds: 0 });
    await h.idle();
    list = (await activePods(h.cluster)).filter((p) => p.metadata.labels?.app === 'web');
    expect(list).toHaveLength(2);
  });

  it('counts pods available only after minReadySeconds, requeueing itself', async () => {
    h = await startHarness([replicaSetController()]);
    const rsc = h.cluster.context.client<ReplicaSet>('apps/v1', 'ReplicaSet', 'default');
    await rsc.create(rs('slow', 2, { minReadySeconds: 10 }));
    await h.idle();
    await markReady(h);
    await h.idle();
    expect((await rsc.get('slow')).status).toMatchObject({ readyReplicas: 2, availableReplicas: 0 });
    await h.clock.advance(9_000);
    await h.idle();
    expect((await rsc.get('slow')).status?.availableReplicas).toBe(0);
    await h.clock.advance(1_100);
    await h.idle();
    expect((await rsc.get('slow')).status?.availableReplicas).toBe(2);
  });
});
