import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { InformerFactory } from '../../../src/client/informer-factory.js';
import { clientArgs, kindRef, kinds, type KindRef } from '../../../src/client/kinds.js';
import type { ApiContext, ResourceClient, WatchOptions } from '../../../src/client/types.js';
import type { KubeObject, Pod } from '../../../src/model/types.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function start(): Promise<{ clock: FakeClock; cluster: Cluster }> {
  const clock = new FakeClock();
  cluster = await Cluster.start({ clock, scheduler: false, controllers: false });
  return { clock, cluster };
}

const pod = (name: string, nodeName?: string, owner?: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: owner }] } : {}) },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'x' }] },
  }) as Pod;

/** Lets watch events in flight reach the informer. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

/** An ApiContext over the cluster's whose Pod watches fail once, on demand, and which counts Pod lists. */
function flakyPods(base: ApiContext) {
  const state = { lists: 0, failNextWatch: false, abortWatch: undefined as (() => void) | undefined, discoveryDown: false };
  const ctx: ApiContext = {
    clock: base.clock,
    events: base.events,
    discover: () => (state.discoveryDown ? Promise.reject(new Error('connect ECONNREFUSED')) : base.discover()),
    bindPod: (b) => base.bindPod(b),
    evictPod: (e) => base.evictPod(e),
    createToken: (r) => base.createToken(r),
    client<T extends KubeObject>(a: KindRef<T> | string, b?: string, c?: string): ResourceClient<T> {
      const { apiVersion, kind, namespace } = clientArgs(a, b, c);
      const real = base.client<T>(apiVersion, kind, namespace);
      if (kind !== 'Pod') return real;
      return {
        ...real,
        type: real.type,
        namespace: real.namespace,
        list: (o) => (state.lists++, real.list(o)),
        watch: (o?: WatchOptions) => ({
          async *[Symbol.asyncIterator]() {
            const local = new AbortController();
            o?.signal?.addEventListener('abort', () => local.abort(), { once: true });
            state.abortWatch = () => {
              state.failNextWatch = true;
              local.abort();
            };
            for await (const ev of real.watch({ ...o, signal: local.signal })) yield ev;
            if (state.failNextWatch) {
              state.failNextWatch = false;
              throw new Error('connection reset');
            }
          },
        }),
      } as ResourceClient<T>;
    },
  };
  return { ctx, state };
}

describe('InformerFactory', () => {
  it('hands out one informer per kind, whichever way the kind is named', async () => {
    const { cluster } = await start();
    const f = new InformerFactory(cluster.context);
    expect(f.informer(kinds.Pod)).toBe(f.informer({ apiVersion: 'v1', kind: 'Pod' }));
    expect(f.informer(kinds.Pod)).not.toBe(f.informer(kinds.Node));
    await f.stop();
  });

  it('rejects start of a kind the API does not serve, and waitForKind resolves once its CRD is applied', async () => {
    const { cluster } = await start();
    const f = new InformerFactory(cluster.context);
    const widget = kindRef<KubeObject>('example.com/v1', 'Widget');
    await expect(f.start(widget)).rejects.toThrow(/no matches for kind/);
    let served = false;
    const waiting = f.waitForKind(widget).then(() => (served = true));
    await new Promise((r) => setImmediate(r));
    expect(served).toBe(false);
    await cluster.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    await waiting;
    expect(served).toBe(true);
    expect((await f.start(widget)).hasSynced()).toBe(true);
    await f.stop();
  });
});

describe('Informer', () => {
  it('indexes by any field (addIndex/byIndex), including objects cached before the index, through updates and deletes', async () => {
    const { cluster } = await start();
    const f = new InformerFactory(cluster.context);
    const pods = cluster.client(kinds.Pod, 'default');
    await pods.create(pod('a', 'n1', 'owner-1'));
    const inf = await f.start(kinds.Pod);
    inf.addIndex('spec.nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    expect(() => inf.addIndex('spec.nodeName', () => [])).toThrow(/exists/);
    await pods.create(pod('b', 'n1'));
    await pods.create(pod('c'));
    await until(() => inf.size() === 3);
    const names = (node: string) =>
      inf
        .byIndex('spec.nodeName', node)
        .map((p) => p.metadata.name)
        .sort();
    expect(names('n1')).toEqual(['a', 'b']);
    await cluster.context.bindPod({ namespace: 'default', name: 'c', nodeName: 'n2' });
    await until(() => names('n2').length === 1);
    expect(names('n2')).toEqual(['c']);
    await pods.delete('a', { gracePeriodSeconds: 0 });
    await until(() => names('n1').length === 1);
    expect(names('n1')).toEqual(['b']);
    expect(inf.byIndex('spec.nodeName', 'nowhere')).toEqual([]);
    expect(() => inf.byIndex('nope', 'x')).toThrow(/no index/);
    // the owner index is one of them, built in
    await pods.create(pod('d', undefined, 'owner-2'));
    await until(() => inf.ownedBy('owner-2').length === 1);
    expect(inf.ownedBy('owner-1')).toEqual([]);
    await f.stop();
  });

  it('retries a failed watch after a back-off on the injected clock (not a real timer), then relists', async () => {
    const { clock, cluster } = await start();
    const { ctx, state } = flakyPods(cluster.context);
    const f = new InformerFactory(ctx, { retry: { initialMs: 100, maxMs: 1000 } });
    const inf = await f.start(kinds.Pod);
    expect(state.lists).toBe(1);
    const timersBefore = clock.pendingTimers();
    await until(() => state.abortWatch !== undefined);
    state.abortWatch!();
    // the retry waits on the FakeClock: a timer is pending and nothing relists until the clock moves
    await until(() => clock.pendingTimers() === timersBefore + 1);
    await cluster.client(kinds.Pod, 'default').create(pod('while-down'));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(state.lists).toBe(1);
    expect(inf.get('default', 'while-down')).toBeUndefined();
    await clock.advance(100);
    await until(() => state.lists === 2);
    await until(() => inf.get('default', 'while-down') !== undefined);
    await f.stop();
  });

  it('retries, rather than stopping for good, when discovery fails too (the API server unreachable)', async () => {
    const { clock, cluster } = await start();
    const { ctx, state } = flakyPods(cluster.context);
    const f = new InformerFactory(ctx, { retry: { initialMs: 100, maxMs: 1000 } });
    const inf = await f.start(kinds.Pod);
    await until(() => state.abortWatch !== undefined);
    state.discoveryDown = true;
    state.abortWatch!();
    await until(() => clock.pendingTimers() > 0);
    await cluster.client(kinds.Pod, 'default').create(pod('while-down'));
    state.discoveryDown = false;
    await clock.advance(100);
    await until(() => state.lists === 2);
    await until(() => inf.get('default', 'while-down') !== undefined);
    await f.stop();
  });

  it('keeps the watch going when a handler throws', async () => {
    const { cluster } = await start();
    const f = new InformerFactory(cluster.context);
    const inf = await f.start(kinds.ConfigMap);
    const seen: string[] = [];
    inf.addHandler({
      onAdd: () => {
        throw new Error('bad handler');
      },
    });
    inf.addHandler({ onAdd: (o) => seen.push(o.metadata.name ?? '') });
    const cms = cluster.client(kinds.ConfigMap, 'default');
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    await until(() => seen.length === 2);
    expect(seen).toEqual(['one', 'two']);
    await f.stop();
  });
});
