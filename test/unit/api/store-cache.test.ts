/**
 * The admission plugins' cache (their listers): listed at start, then kept by the store's watch;
 * a version the caller hands in is kept unless the cache holds a newer one; unsynced reads say so.
 * And the plugins read it: an admitted write lists no ResourceQuota, LimitRange or PriorityClass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { StoreCache } from '../../../src/api/store-cache.js';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { KubeObject } from '../../../src/model/types.js';

const cm = (name: string, namespace = 'a', data: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data }) as KubeObject;
const turn = () => new Promise((r) => setImmediate(r));

let cache: StoreCache | undefined;
let cluster: Cluster | undefined;
afterEach(async () => {
  await cache?.stop();
  await cluster?.stop();
  cache = cluster = undefined;
});

describe('StoreCache', () => {
  it('reads nothing before start (undefined: read the store), then lists and follows creates, updates and deletes', async () => {
    const store = new MemoryStore({ clock: new FakeClock() });
    await store.create('core/configmaps', cm('one'));
    cache = new StoreCache(store, 'core/configmaps');
    expect(cache.list('a')).toBeUndefined();
    expect(cache.get('a', 'one')).toBeNull();
    await cache.start();
    expect(cache.list('a')?.map((o) => o.metadata.name)).toEqual(['one']);
    await store.create('core/configmaps', cm('two', 'b'));
    const one = (await store.get({ resource: 'core/configmaps', namespace: 'a', name: 'one' }))!;
    await store.update('core/configmaps', { ...one, data: { k: 'v' } } as KubeObject);
    await turn();
    expect(cache.list('b')?.map((o) => o.metadata.name)).toEqual(['two']);
    expect((cache.get('a', 'one') as { data?: unknown }).data).toEqual({ k: 'v' });
    expect(cache.list('')).toHaveLength(2);
    await store.delete({ resource: 'core/configmaps', namespace: 'a', name: 'one' });
    await turn();
    expect(cache.get('a', 'one')).toBeUndefined();
    expect(cache.list('a')).toEqual([]);
  });

  it('observe() keeps the newer of the handed version and the cached one', async () => {
    const store = new MemoryStore({ clock: new FakeClock() });
    const created = await store.create('core/configmaps', cm('one'));
    cache = new StoreCache(store, 'core/configmaps');
    await cache.start();
    const newer = await store.update('core/configmaps', { ...created, data: { v: '2' } } as KubeObject);
    cache.observe(newer); // before the watch delivers it
    expect((cache.get('a', 'one') as { data?: unknown }).data).toEqual({ v: '2' });
    cache.observe(created); // an older version is ignored
    expect(cache.get('a', 'one')?.metadata.resourceVersion).toBe(newer.metadata.resourceVersion);
  });
});

describe('admission reads the caches', () => {
  it('creating pods lists no ResourceQuota, LimitRange or PriorityClass from the store', async () => {
    const store = new MemoryStore({ clock: new FakeClock() });
    cluster = await Cluster.start({ clock: new FakeClock(), store, scheduler: false });
    const listed: string[] = [];
    const list = store.list.bind(store);
    store.list = (scope, options) => {
      listed.push(scope.resource);
      return list(scope, options);
    };
    const pods = cluster.client('v1', 'Pod', 'default');
    for (let i = 0; i < 5; i++) {
      await pods.create({ metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'img' }] } } as never);
    }
    expect(listed.filter((r) => /resourcequotas|limitranges|priorityclasses/.test(r))).toEqual([]);
  });
});
