import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { kindRef, kinds } from '../../../../src/client/kinds.js';
import type { ResourceClient } from '../../../../src/client/types.js';
import type { Controller, ReconcileContext, ReconcileRequest } from '../../../../src/controllers/runtime/types.js';
import type { ConfigMap, Deployment, KubeObject, Pod } from '../../../../src/model/types.js';
import { OPEN_WIDGET_CRD } from '../../../support/widget-crd.js';

interface Widget extends KubeObject {
  spec?: { size?: number };
}
const WidgetKind = kindRef<Widget>('example.com/v1', 'Widget');

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function start(): Promise<Cluster> {
  cluster = await Cluster.start({ clock: new FakeClock(), scheduler: false, controllers: false });
  return cluster;
}

describe('a controller of a kind whose CRD is not applied yet (issue 8, bug 2)', () => {
  it('registers, waits for the kind, and reconciles once the CRD is applied', async () => {
    const c = await start();
    const seen: string[] = [];
    const widgets: Controller = {
      name: 'widgets',
      for: WidgetKind,
      async reconcile(req) {
        seen.push(`${req.namespace}/${req.name}`);
      },
    };
    // Before the fix this rejected with `no matches for kind "Widget"` and kept the name.
    await expect(c.controllers.register(widgets)).resolves.toBeUndefined();
    expect(c.controllers.names()).toContain('widgets');
    await c.settled();
    expect(seen).toEqual([]);
    await c.apply(OPEN_WIDGET_CRD);
    await c.settled();
    await c.client(WidgetKind, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
    await c.settled();
    expect(seen).toEqual(['default/w1']);
  });

  it('a kind that is already served starts at once, as before', async () => {
    const c = await start();
    await c.apply(OPEN_WIDGET_CRD);
    await c.client(WidgetKind, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w0' } });
    const seen: string[] = [];
    await c.controllers.register({ name: 'w', for: WidgetKind, reconcile: async (req) => void seen.push(req.name) });
    await c.settled();
    expect(seen).toEqual(['w0']);
  });
});

describe('the reconcile context signal', () => {
  it('aborts when the controller is removed (freeing its name) and when the manager stops', async () => {
    const c = await start();
    const signals: AbortSignal[] = [];
    const make = (name: string): Controller => ({
      name,
      for: kinds.ConfigMap,
      async reconcile(_req, ctx) {
        signals.push(ctx.signal);
      },
    });
    await c.controllers.register(make('a'));
    await c.controllers.register(make('b'));
    await c.client(kinds.ConfigMap, 'default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    await c.settled();
    expect(signals).toHaveLength(2);
    const [first, second] = signals;
    expect(first.aborted || second.aborted).toBe(false);
    await c.controllers.remove('a');
    expect(c.controllers.names()).not.toContain('a');
    expect(signals.filter((s) => s.aborted)).toHaveLength(1);
    await c.controllers.register(make('a'));
    await c.controllers.stop();
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

describe('typed kind references', () => {
  it('type clients and cache reads from the reference, and name the same kinds as the strings', async () => {
    const c = await start();
    const deployments = c.client(kinds.Deployment, 'default');
    expectTypeOf(deployments).toEqualTypeOf<ResourceClient<Deployment>>();
    expectTypeOf(c.context.client(kinds.Pod, 'default')).toEqualTypeOf<ResourceClient<Pod>>();
    expectTypeOf(c.client('v1', 'ConfigMap')).toEqualTypeOf<ResourceClient<KubeObject>>();
    expect(deployments.type.kind).toBe('Deployment');
    expect(deployments.namespace).toBe('default');
    expect(c.client(kinds.Node).namespace).toBeUndefined();
    const names: string[] = [];
    await c.controllers.register<ReconcileRequest>({
      name: 'typed',
      for: kinds.ConfigMap,
      async reconcile(req, ctx: ReconcileContext) {
        const cm = await ctx.cache.get(kinds.ConfigMap, req.namespace, req.name);
        expectTypeOf(cm).toEqualTypeOf<ConfigMap | undefined>();
        const all = await ctx.cache.list(kinds.ConfigMap, { namespace: req.namespace });
        expectTypeOf(all).toEqualTypeOf<ConfigMap[]>();
        const same = await ctx.cache.list<ConfigMap>('v1', 'ConfigMap', { namespace: req.namespace });
        expect(same).toEqual(all);
        expectTypeOf(await ctx.cache.ownedBy(kinds.Pod, 'nobody')).toEqualTypeOf<Pod[]>();
        if (cm) names.push(`${cm.metadata.name}:${cm.data?.k}`);
      },
    });
    await c.client(kinds.ConfigMap, 'default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } });
    await c.settled();
    expect(names).toEqual(['cfg:v']);
  });

  it('every built-in kind has a reference the API serves', async () => {
    const c = await start();
    const types = await c.context.discover();
    const served = new Set(types.map((t) => `${t.group ? `${t.group}/` : ''}${t.version}/${t.kind}`));
    for (const ref of Object.values(kinds)) expect(served.has(`${ref.apiVersion}/${ref.kind}`)).toBe(true);
    // One reference per kind, at its preferred version (a kind served at several, as HorizontalPodAutoscaler at
    // autoscaling/v2 and v1, is listed once per version by discovery).
    expect(Object.keys(kinds)).toHaveLength(new Set(types.map((t) => `${t.group}/${t.kind}`)).size);
    expect(kinds.HorizontalPodAutoscaler.apiVersion).toBe('autoscaling/v2');
  });
});

describe('a controller that fails to start', () => {
  it('leaves nothing behind: the name is free again', async () => {
    const c = await start();
    let calls = 0;
    const failing: Controller = {
      name: 'fails',
      for: kinds.ConfigMap,
      setup() {
        if (calls++ === 0) throw new Error('setup failed');
      },
      reconcile: async () => undefined,
    };
    await expect(c.controllers.register(failing)).rejects.toThrow(/setup failed/);
    expect(c.controllers.names()).not.toContain('fails');
    await expect(c.controllers.register(failing)).resolves.toBeUndefined();
    expect(c.controllers.names()).toContain('fails');
  });
});
