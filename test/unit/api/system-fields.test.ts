import { describe, expect, it } from 'vitest';
import { bodyChanged, stampCreate, stampUpdate } from '../../../src/api/system-fields.js';
import { deepFreeze } from '../../../src/model/freeze.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { ConfigMap, KubeObject } from '../../../src/model/types.js';
import { storeResourceOf } from '../../../src/model/resource-type.js';

const base = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'a', uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { x: 1 },
});

describe('the API server stamps uid, creationTimestamp and generation', () => {
  it('counts changes outside metadata and status as body changes', () => {
    const a = base();
    expect(bodyChanged(a, { ...a, status: { phase: 'x' }, metadata: { name: 'b' } })).toBe(false);
    expect(bodyChanged(a, { ...a, spec: { x: 2 } })).toBe(true);
    expect(bodyChanged(a, { ...a, data: {} })).toBe(true);
    expect(bodyChanged(a, { ...a, spec: { x: 1, y: undefined } })).toBe(false);
  });

  it('stampCreate gives a uid, the time in whole seconds and generation 1; stampUpdate keeps uid and time and bumps generation on a body change only', () => {
    const obj = { ...base(), metadata: { name: 'a', generation: 9 } } as KubeObject;
    stampCreate(obj, 'u-1', new Date('2026-03-04T05:06:07.890Z'));
    expect(obj.metadata).toMatchObject({ uid: 'u-1', creationTimestamp: '2026-03-04T05:06:07Z', generation: 1 });
    const stored = deepFreeze(base());
    const relabel = {
      ...base(),
      metadata: deepFreeze({ name: 'a', uid: 'forged', generation: 99, creationTimestamp: '2000-01-01T00:00:00Z', labels: { a: 'b' } }),
    };
    stampUpdate(stored, relabel);
    expect(relabel.metadata).toMatchObject({ uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z', generation: 2, labels: { a: 'b' } });
    const respec = { ...base(), spec: { x: 2 } };
    stampUpdate(stored, respec);
    expect(respec.metadata.generation).toBe(3);
  });

  it('through a cluster: the store keeps what the API stamped, and a second API layer on the same store sees the same uid and generation', async () => {
    const clock = new FakeClock(new Date('2026-03-04T05:06:07.890Z'));
    const store = new MemoryStore({ clock });
    await using a = await Cluster.start({ clock, store, scheduler: false });
    await using b = await Cluster.start({ clock, store, scheduler: false, controllers: false });
    const created = await a
      .configMaps()
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: '1' } } as ConfigMap);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toBe('2026-03-04T05:06:07Z');
    expect(created.metadata.generation).toBe(1);
    const changed = await b.configMaps().patch('x', { data: { k: '2' } });
    expect(changed.metadata.uid).toBe(created.metadata.uid);
    expect(changed.metadata.generation).toBe(2);
    const relabelled = await b.configMaps().patch('x', { metadata: { labels: { a: 'b' } } });
    expect(relabelled.metadata.generation).toBe(2);
    expect(
      (await store.get({ resource: storeResourceOf(a.registry.get('v1', 'ConfigMap')), namespace: 'default', name: 'x' }))?.metadata.uid,
    ).toBe(created.metadata.uid);
  });
});
