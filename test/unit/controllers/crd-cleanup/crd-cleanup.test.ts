import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../../src/store/memory-store.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { rejection } from '../../../support/rejection.js';
import type { CustomResourceDefinition, KubeObject } from '../../../../src/model/types.js';
import { WIDGETS, widget, widgetCrd } from '../../../support/widget-crd.js';

describe('CRD cleanup (the customresourcecleanup finalizer)', () => {
  const clusters: Cluster[] = [];
  afterEach(async () => {
    for (const c of clusters.splice(0).reverse()) await c.stop();
  });
  async function start(options: Parameters<typeof Cluster.start>[0]): Promise<Cluster> {
    const c = await Cluster.start(options);
    clusters.push(c);
    return c;
  }

  it('deletes the objects of a deleted CRD through the API: their finalizers hold the CRD, the garbage collector removes their dependents', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    const a = await start({ store, clock });
    const b = await start({ store, clock, controllers: false, scheduler: false });
    await b.customResourceDefinitions().create(widgetCrd());
    const widgets = b.client('example.com/v1', 'Widget');
    await widgets.create(widget('held', { finalizers: ['example.com/hold'] }));
    const free = await widgets.create(widget('free'));
    const owned = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'free', uid: free.metadata.uid! };
    await b.configMaps().create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'of-free', ownerReferences: [owned] } });

    const deleted = await b.customResourceDefinitions().delete(WIDGETS);
    expect(deleted.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(deleted.status?.conditions?.find((c) => c.type === 'Terminating')?.reason).toBe('InstanceDeletionPending');

    // the cleanup (run by the first layer) deletes both widgets through the API: 'free' goes, and
    // the garbage collector deletes its ConfigMap; 'held' waits for its finalizer
    await a.waitFor(b.configMaps(), 'of-free', (cm) => cm === undefined);
    await a.waitFor(widgets, 'held', (w) => w?.metadata.deletionTimestamp !== undefined);
    expect(await widgets.find('free')).toBeUndefined();
    const crds = b.customResourceDefinitions();
    const terminating = await a.waitFor(
      crds,
      WIDGETS,
      (crd) => crd?.status?.conditions?.some((c) => c.reason === 'InstanceDeletionCheck') ?? false,
    );
    expect(terminating?.status?.conditions?.find((c) => c.type === 'Terminating')).toMatchObject({ status: 'True' });
    // while the CRD terminates, its kind refuses creates
    expect((await rejection(widgets.create(widget('late')))).reason).toBe('MethodNotAllowed');

    await widgets.patch('held', { metadata: { finalizers: null } });
    expect(await widgets.find('held')).toBeUndefined();
    await clock.advance(1000); // the cleanup looks again
    await a.waitFor(crds, WIDGETS, (crd) => crd === undefined);
    expect((await rejection(widgets.list())).reason).toBe('NotFound');
    expect(() => a.client('example.com/v1', 'Widget')).toThrow(/no matches for kind "Widget"/);
  });

  it('lets a CRD with no objects go at once, with Terminating=False', async () => {
    const a = await start({ scheduler: false });
    await a.customResourceDefinitions().create(widgetCrd());
    const seen: string[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const e of a.customResourceDefinitions().watch({ signal: abort.signal })) {
        const t = e.object.status?.conditions?.find((c) => c.type === 'Terminating');
        if (t && seen.at(-1) !== `${t.status}/${t.reason}`) seen.push(`${t.status}/${t.reason}`);
        if (e.type === 'DELETED') break;
      }
    })();
    await a.customResourceDefinitions().delete(WIDGETS);
    await watching;
    abort.abort();
    expect(seen).toEqual(['True/InstanceDeletionPending', 'True/InstanceDeletionInProgress', 'False/InstanceDeletionCompleted']);
  });
});
