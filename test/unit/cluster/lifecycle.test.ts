import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { ConfigMap, KubeObject } from '../../../src/model/types.js';

const cm = (name: string, owner?: KubeObject, block = false): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    ownerReferences: owner
      ? [
          {
            apiVersion: owner.apiVersion,
            kind: owner.kind,
            name: owner.metadata.name!,
            uid: owner.metadata.uid!,
            blockOwnerDeletion: block,
          },
        ]
      : undefined,
  },
});

describe('finalizers and garbage collection', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('keeps an object with finalizers, marked with deletionTimestamp, until they are removed', async () => {
    await cluster.configMaps().create({ ...cm('held'), metadata: { name: 'held', finalizers: ['example.com/keep'] } });
    const marked = await cluster.configMaps().delete('held');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(await cluster.configMaps().find('held')).toBeDefined();
    await cluster.configMaps().patch('held', { metadata: { finalizers: null } });
    expect(await cluster.configMaps().find('held')).toBeUndefined();
  });

  it('deletes dependents in the background once the owner is gone', async () => {
    const owner = await cluster.configMaps().create(cm('owner'));
    await cluster.configMaps().create(cm('child-1', owner));
    await cluster.configMaps().create(cm('child-2', owner));
    await cluster.configMaps().delete('owner');
    await cluster.settled();
    expect((await cluster.configMaps().list()).items.length === 0).toBe(true);
  });

  it('keeps a dependent that still has a live owner, dropping the dead reference', async () => {
    const a = await cluster.configMaps().create(cm('a'));
    const b = await cluster.configMaps().create(cm('b'));
    await cluster.configMaps().create({
      ...cm('shared'),
      metadata: { name: 'shared', ownerReferences: [...cm('x', a).metadata.ownerReferences!, ...cm('y', b).metadata.ownerReferences!] },
    });
    await cluster.configMaps().delete('a');
    await cluster.settled();
    expect((await cluster.configMaps().get('shared')).metadata.ownerReferences?.length === 1).toBe(true);
    expect((await cluster.configMaps().get('shared')).metadata.ownerReferences?.[0].name).toBe('b');
  });

  it('holds a Foreground-deleted owner until its blocking dependents are gone', async () => {
    const owner = await cluster.configMaps().create(cm('owner'));
    await cluster
      .configMaps()
      .create({ ...cm('child', owner, true), metadata: { ...cm('child', owner, true).metadata, finalizers: ['example.com/slow'] } });
    const marked = await cluster.configMaps().delete('owner', { propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await cluster.settled();
    expect(Boolean((await cluster.configMaps().get('child')).metadata.deletionTimestamp)).toBe(true);
    await cluster.settled();
    expect(await cluster.configMaps().find('owner')).toBeDefined();
    await cluster.configMaps().patch('child', { metadata: { finalizers: null } });
    await cluster.settled();
    expect((await cluster.configMaps().find('owner')) === undefined).toBe(true);
  });

  it('orphans dependents with the Orphan policy', async () => {
    const owner = await cluster.configMaps().create(cm('owner'));
    await cluster.configMaps().create(cm('child', owner));
    await cluster.configMaps().delete('owner', { propagationPolicy: 'Orphan' });
    await cluster.settled();
    expect((await cluster.configMaps().find('owner')) === undefined).toBe(true);
    const child = await cluster.configMaps().get('child');
    expect(child.metadata.ownerReferences).toBeUndefined();
  });

  it('deletes a dependent whose owner never existed', async () => {
    await cluster.configMaps().create({
      ...cm('orphan'),
      metadata: {
        name: 'orphan',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }],
      },
    });
    await cluster.settled();
    expect((await cluster.configMaps().find('orphan')) === undefined).toBe(true);
  });

  it('leaves Events alone, as kube-controller-manager ignores them (an Event whose owner never existed stays)', async () => {
    const ghost = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }];
    await cluster.client('v1', 'Event', 'default').create({
      metadata: { name: 'e', ownerReferences: ghost },
      involvedObject: { kind: 'ConfigMap', name: 'ghost', namespace: 'default' },
      reason: 'Test',
      message: 'm',
    } as never);
    await cluster.configMaps().create({ ...cm('orphan2'), metadata: { name: 'orphan2', ownerReferences: ghost } });
    await cluster.settled();
    expect(await cluster.configMaps().find('orphan2')).toBeUndefined();
    expect(await cluster.client('v1', 'Event', 'default').find('e')).toBeDefined();
  });

  it('checks delete preconditions', async () => {
    const c = await cluster.configMaps().create(cm('c'));
    const err = await rejection(cluster.configMaps().delete('c', { preconditions: { uid: 'other' } }));
    expect(err.reason).toBe('Conflict');
    await cluster.configMaps().delete('c', { preconditions: { uid: c.metadata.uid, resourceVersion: c.metadata.resourceVersion } });
    expect(await cluster.configMaps().find('c')).toBeUndefined();
  });

  it('deletes bound pods gracefully and unbound ones at once', async () => {
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image: 'busybox:1' }] },
    });
    await cluster.pods().create(pod('loose') as never);
    await cluster.pods().create(pod('bound', 'node-a') as never);
    await cluster.pods().delete('loose');
    expect(await cluster.pods().find('loose')).toBeUndefined();
    const terminating = await cluster.pods().delete('bound');
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30);
    await cluster.pods().delete('bound', { gracePeriodSeconds: 0 });
    expect(await cluster.pods().find('bound')).toBeUndefined();
  });
});

describe('namespaces', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('deleting a namespace deletes its contents, then the namespace', async () => {
    await cluster.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await cluster.configMaps('team').create(cm('a'));
    await cluster.secrets('team').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } });
    const marked = await cluster.namespaces().delete('team');
    expect(marked.status?.phase).toBe('Terminating');
    const err = await rejection(cluster.configMaps('team').create(cm('late')));
    expect(err.reason).toBe('Forbidden');
    await cluster.settled();
    expect((await cluster.namespaces().find('team')) === undefined).toBe(true);
    expect((await cluster.configMaps('team').list()).items).toHaveLength(0);
    expect((await cluster.secrets('team').list()).items).toHaveLength(0);
  });

  it('refuses to delete the system namespaces', async () => {
    for (const ns of ['default', 'kube-system']) {
      const err = await rejection(cluster.namespaces().delete(ns));
      expect(err.reason).toBe('Forbidden');
    }
  });
});

describe('events', () => {
  it('records Events and counts repeats', async () => {
    await using cluster = await Cluster.start({ controllers: false, scheduler: false });
    const c = await cluster.configMaps().create(cm('c'));
    await cluster.events.record(c, 'Warning', 'Broken', 'it broke');
    await cluster.events.record(c, 'Warning', 'Broken', 'it broke');
    await cluster.events.record(c, 'Normal', 'Fixed', 'it works');
    const events = await cluster.events.list('default');
    const broken = events.find((e) => e.reason === 'Broken');
    expect(broken?.count).toBe(2);
    expect(broken?.involvedObject.uid).toBe(c.metadata.uid);
    expect(events.filter((e) => e.reason === 'Fixed')).toHaveLength(1);
  });
});
