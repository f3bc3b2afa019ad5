import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { rejection } from '../../support/rejection.js';
import type { CustomResourceDefinition, KubeObject } from '../../../src/model/types.js';
import { WIDGETS, widget, widgetCrd } from '../../support/widget-crd.js';

describe('CRD registration by watching CustomResourceDefinitions', () => {
  const clusters: Cluster[] = [];
  afterEach(async () => {
    for (const c of clusters.splice(0).reverse()) await c.stop();
  });
  async function start(options: Parameters<typeof Cluster.start>[0]): Promise<Cluster> {
    const c = await Cluster.start(options);
    clusters.push(c);
    return c;
  }

  it('serves a kind created through one API layer from a second one on the same store', async () => {
    const store = new MemoryStore();
    const a = await start({ store });
    const b = await start({ store, controllers: false, scheduler: false });
    await a.customResourceDefinitions().create(widgetCrd());
    // apply through the second layer finds the kind at once (it catches up with the store on a miss)
    await b.apply(widget('w1'));
    // discovery lists it, and clients of the second layer create, get and list its objects
    expect((await b.context.discover()).map((t) => t.kind)).toContain('Widget');
    const widgets = b.client('example.com/v1', 'Widget');
    await widgets.create(widget('w2'));
    expect((await widgets.get('w1')).spec).toEqual({ size: 1 });
    expect((await a.client('example.com/v1', 'Widget').list()).items.map((w) => w.metadata.name)).toEqual(['w1', 'w2']);
  });

  it('learns of a CRD written straight to the store by watching it', async () => {
    const store = new MemoryStore();
    const a = await start({ store, controllers: false, scheduler: false });
    await store.create('apiextensions.k8s.io/customresourcedefinitions', widgetCrd());
    await a.waitFor(a.customResourceDefinitions(), WIDGETS, (crd) => crd !== undefined);
    // no write went through this layer and nothing asked it to catch up: its watch saw the CRD
    expect(a.registry.find('example.com/v1', 'Widget')?.plural).toBe('widgets');
  });

  it('serves the CRDs a store holds when a cluster starts on it', async () => {
    const store = new MemoryStore();
    const a = await start({ store, controllers: false, scheduler: false });
    await a.customResourceDefinitions().create(widgetCrd());
    await a.client('example.com/v1', 'Widget').create(widget('w1'));
    await a.stop();
    const b = await start({ store, controllers: false, scheduler: false });
    expect((await b.client('example.com/v1', 'Widget').get('w1')).metadata.name).toBe('w1');
  });

  it('follows an update of the CRD in clients obtained before it', async () => {
    const a = await start({ controllers: false, scheduler: false });
    await a.customResourceDefinitions().create(widgetCrd());
    const widgets = a.client('example.com/v1', 'Widget');
    const crd = await a.customResourceDefinitions().get(WIDGETS);
    const strict = structuredClone(crd) as CustomResourceDefinition;
    const spec = strict.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec!;
    spec.properties!.size.minimum = 5;
    await a.customResourceDefinitions().update(strict);
    expect((await rejection(widgets.create(widget('w1')))).reason).toBe('Invalid');
  });

  it('answers NotFound on every verb of a client obtained before its CRD was deleted', async () => {
    const a = await start({ controllers: false, scheduler: false });
    await a.customResourceDefinitions().create(widgetCrd());
    const widgets = a.client('example.com/v1', 'Widget');
    const w1 = await widgets.create(widget('w1'));
    await a.customResourceDefinitions().delete(WIDGETS);
    await a.waitFor(a.customResourceDefinitions(), WIDGETS, (crd) => crd === undefined);
    const verbs: [string, () => Promise<unknown>][] = [
      ['get', () => widgets.get('w1')],
      ['find', () => widgets.find('w1')],
      ['list', () => widgets.list()],
      [
        'watch',
        async () => {
          for await (const _ of widgets.watch()) break;
        },
      ],
      ['create', () => widgets.create(widget('w2'))],
      ['update', () => widgets.update(w1)],
      ['patch', () => widgets.patch('w1', { spec: { size: 2 } })],
      ['updateStatus', () => widgets.updateStatus(w1)],
      ['patchStatus', () => widgets.patchStatus('w1', { status: {} })],
      ['delete', () => widgets.delete('w1')],
    ];
    for (const [verb, call] of verbs) {
      const err = await rejection(call());
      expect({ verb, reason: err.reason, message: err.message }).toEqual({
        verb,
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
    }
  });
});
