/**
 * expectedPods from the pods' controllers, each kind as Kubernetes' finders find it: a
 * StatefulSet's and a bare ReplicaSet's replicas, a custom resource's scale subresource, and pods
 * their controller orphaned (unmanaged). Pods are written by hand; only the disruption controller runs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { disruptionController } from '../../../../src/controllers/disruption/index.js';
import type { KubeObject, OwnerReference, PodDisruptionBudget } from '../../../../src/model/types.js';
import { widgetCrd } from '../../../support/widget-crd.js';

let cluster: Cluster;
beforeEach(async () => {
  cluster = await Cluster.start({
    clock: new FakeClock(Date.parse('2026-01-01T00:00:00Z')),
    scheduler: false,
    controllers: { builtins: false },
  });
  cluster.controllers.register(disruptionController());
});
afterEach(async () => {
  await cluster.stop();
});

const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'i' }] } });

async function readyPod(name: string, app: string, owner: KubeObject): Promise<void> {
  const ref: OwnerReference = {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
  };
  const p = await cluster
    .pods()
    .create({ metadata: { name, labels: { app }, ownerReferences: [ref] }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  await cluster.pods().updateStatus({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
}

async function budgetStatus(app: string): Promise<NonNullable<PodDisruptionBudget['status']>> {
  await cluster.apply({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: 'default' },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app } } },
  });
  await cluster.settled();
  const s = (await cluster.podDisruptionBudgets().get(app)).status;
  if (!s) throw new Error('no status');
  return s;
}

describe('expectedPods finders', () => {
  it("a StatefulSet's replicas", async () => {
    const ss = await cluster.statefulSets().create({
      metadata: { name: 'db' },
      spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: template('db') },
    });
    await readyPod('db-0', 'db', ss);
    await readyPod('db-1', 'db', ss);
    expect(await budgetStatus('db')).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 });
  });

  it('a ReplicaSet without a Deployment: its own replicas', async () => {
    const rs = await cluster.replicaSets().create({
      metadata: { name: 'rs' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'rs' } }, template: template('rs') },
    });
    for (const n of ['a', 'b', 'c', 'd']) await readyPod(`rs-${n}`, 'rs', rs);
    expect(await budgetStatus('rs')).toMatchObject({ expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 1 });
  });

  it("a custom resource's scale subresource", async () => {
    const crd = widgetCrd();
    const v = crd.spec.versions[0]!;
    v.subresources = { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.count' } };
    await cluster.customResourceDefinitions().create(crd);
    const w = await cluster.client<KubeObject>('example.com/v1', 'Widget').create({ metadata: { name: 'w' }, spec: { size: 5 } });
    await readyPod('w-0', 'w', w);
    expect(await budgetStatus('w')).toMatchObject({ expectedPods: 5, desiredHealthy: 4, currentHealthy: 1, disruptionsAllowed: 0 });
  });

  it('pods orphaned by their controller: unmanaged, expected 0, no disruption allowed', async () => {
    const rs = await cluster.replicaSets().create({
      metadata: { name: 'gone' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'gone' } }, template: template('gone') },
    });
    await readyPod('gone-a', 'gone', rs);
    await cluster.replicaSets().delete('gone', { propagationPolicy: 'Orphan' });
    await cluster.settled();
    expect((await cluster.pods().get('gone-a')).metadata.ownerReferences ?? []).toEqual([]);
    const s = await budgetStatus('gone');
    expect(s).toMatchObject({ expectedPods: 0, currentHealthy: 1, disruptionsAllowed: 0 });
    expect((await cluster.events.list('default')).some((e) => e.reason === 'UnmanagedPods')).toBe(true);
  });
});
