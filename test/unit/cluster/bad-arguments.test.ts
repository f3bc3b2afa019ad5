import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { REVISION_ANNOTATION } from '../../../src/model/well-known.js';
import { rejection } from '../../support/rejection.js';
import type { Deployment, ReplicaSet } from '../../../src/model/types.js';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

describe('cluster verbs refuse bad arguments as kubectl does', () => {
  let cluster: Cluster;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    cluster = await Cluster.start({ clock, controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  /** A Deployment at revision 2 (nginx:2) with the ReplicaSets of revisions 1 and 2. */
  async function twoRevisions(): Promise<Deployment> {
    const d = await cluster.deployments().create({
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template('nginx:2') },
    });
    for (const revision of [1, 2]) {
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `web-${revision}`,
          annotations: { [REVISION_ANNOTATION]: String(revision) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid ?? '', controller: true }],
        },
        spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: template(`nginx:${revision}`) },
      };
      await cluster.replicaSets().create(rs);
    }
    return d;
  }

  it('rollout.undo(99) without a revision 99 fails NotFound and changes nothing', async () => {
    const d = await twoRevisions();
    const err = await rejection(cluster.rollout('default', 'web').undo(99));
    expect(err.reason).toBe('NotFound');
    expect(err.message).toBe('unable to find specified revision 99 in history');
    expect((await cluster.deployments().get('web')).metadata.resourceVersion).toBe(d.metadata.resourceVersion);
  });

  it('rollout.undo(-1) fails as kubectl does, and undo(1) and undo({ toRevision: 1 }) roll back', async () => {
    await twoRevisions();
    const err = await rejection(cluster.rollout('default', 'web').undo(-1));
    expect(err.message).toBe('unable to find specified revision -1 in history');
    expect((await rejection(cluster.rollout('default', 'web').undo(1.5))).reason).toBe('Invalid');
    const back = await cluster.rollout('default', 'web').undo(1);
    expect(back.spec?.template.spec?.containers[0].image).toBe('nginx:1');
    await cluster.deployments().patch('web', { spec: { template: template('nginx:2') } });
    const again = await cluster.rollout('default', 'web').undo({ toRevision: 1 });
    expect(again.spec?.template.spec?.containers[0].image).toBe('nginx:1');
  });

  it("scale(..., '3') says replicas is not an integer", async () => {
    await twoRevisions();
    const err = await rejection(cluster.scale('default', 'Deployment', 'web', '3' as never));
    expect(err.reason).toBe('Invalid');
    expect(err.causes).toEqual([
      { field: 'spec.replicas', message: 'Invalid value: "3": must be an integer', reason: 'FieldValueInvalid' },
    ]);
    const negative = await rejection(cluster.scale('default', 'Deployment', 'web', -1));
    expect(negative.causes[0].message).toBe('Invalid value: -1: must be greater than or equal to 0');
  });

  it("addNode with capacity { cpu: 'lots' } is refused before any agent starts", async () => {
    const runtime = new MockRuntime({ clock });
    const err = await rejection(cluster.addNode({ name: 'n1', runtime, capacity: { cpu: 'lots' } }));
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toEqual(['status.capacity[cpu]']);
    expect(await cluster.nodes().find('n1')).toBeUndefined();
    const name = await rejection(cluster.addNode({ name: 'Bad_Node!', runtime }));
    expect(name.causes.map((c) => c.field)).toEqual(['metadata.name']);
    // The name is free: a good spec of the same name is accepted.
    await cluster.addNode({ name: 'n1', runtime, capacity: { cpu: '2' } });
    expect((await cluster.nodes().get('n1')).status?.capacity?.cpu).toBe('2');
  });
});
