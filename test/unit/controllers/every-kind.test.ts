import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { ListScope, StoreWatchOptions } from '../../../src/store/types.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { kindRef, kinds } from '../../../src/client/kinds.js';
import type { KubeObject } from '../../../src/model/types.js';
import { OPEN_WIDGET_CRD } from '../../support/widget-crd.js';

/** A MemoryStore that counts the watches opened per collection. */
class CountingStore extends MemoryStore {
  readonly watches = new Map<string, number>();
  override watch(scope: ListScope, options?: StoreWatchOptions) {
    this.watches.set(scope.resource, (this.watches.get(scope.resource) ?? 0) + 1);
    return super.watch(scope, options);
  }
}

const Widget = kindRef<KubeObject & { spec?: unknown }>('example.com/v1', 'Widget');

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('one informer per kind per cluster', () => {
  it('the controllers, the scheduler, the node agents, the garbage collector and the namespace controller share one Pod watch', async () => {
    const clock = new FakeClock();
    const store = new CountingStore({ clock });
    const runtime = new MockRuntime();
    cluster = await Cluster.start({
      clock,
      store,
      nodes: [
        { name: 'n1', runtime },
        { name: 'n2', runtime },
      ],
    });
    await cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } },
      },
    });
    for (let i = 0; i < 20; i++) await clock.advance(100);
    expect((await cluster.client(kinds.Pod, 'default').list()).items.filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
    expect(store.watches.get('core/pods')).toBe(1);
    expect(store.watches.get('core/nodes')).toBe(1);
    expect(store.watches.get('apps/replicasets')).toBe(1);
    expect(cluster.controllers.names()).toEqual(expect.arrayContaining(['garbage-collector', 'namespace']));
  });
});

describe('the garbage collector and the namespace controller find kinds through discovery', () => {
  it('collect the dependents of a CRD kind applied after start, and of its objects once the CRD is deleted', async () => {
    const clock = new FakeClock();
    cluster = await Cluster.start({ clock, scheduler: false, controllers: false });
    await cluster.apply(OPEN_WIDGET_CRD);
    await cluster.settled();
    const widgets = cluster.client(Widget, 'default');
    const cms = cluster.client(kinds.ConfigMap, 'default');
    const owned = (name: string, owner: KubeObject) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: owner.metadata.name!, uid: owner.metadata.uid! }],
      },
    });
    const w1 = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
    const w2 = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' } });
    await cms.create(owned('of-w1', w1));
    await cms.create(owned('of-w2', w2));
    await cluster.settled();
    expect((await cms.list()).items.map((c) => c.metadata.name).sort()).toEqual(['of-w1', 'of-w2']);
    // the GC watches Widgets: deleting one collects its dependent
    await widgets.delete('w1');
    await cluster.settled();
    expect(await cms.find('of-w1')).toBeUndefined();
    expect(await cms.find('of-w2')).toBeDefined();
    // the kind goes with its CRD: the GC drops it, and w2's dependent is collected (its owner is gone)
    await cluster.client(kinds.CustomResourceDefinition).delete('widgets.example.com');
    for (let i = 0; i < 5; i++) {
      await clock.advance(1000);
      await cluster.settled();
    }
    expect(await cms.find('of-w2')).toBeUndefined();
  });

  it('the namespace controller empties a namespace of a CRD kind applied after start', async () => {
    const clock = new FakeClock();
    cluster = await Cluster.start({ clock, scheduler: false, controllers: false });
    await cluster.client(kinds.Namespace).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await cluster.apply(OPEN_WIDGET_CRD);
    await cluster.settled();
    const widgets = cluster.client(Widget, 'team');
    await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['example.com/hold'] } });
    await cluster.client(kinds.Namespace).delete('team');
    await cluster.settled();
    // the widget is being deleted and holds the namespace
    expect((await widgets.get('w')).metadata.deletionTimestamp).toBeDefined();
    expect(await cluster.client(kinds.Namespace).find('team')).toBeDefined();
    // its finalizer released, the namespace goes (woken by the Widget watch, not by polling: no clock advance)
    await widgets.patch('w', { metadata: { finalizers: null } });
    await cluster.settled();
    expect(await cluster.client(kinds.Namespace).find('team')).toBeUndefined();
  });
});
