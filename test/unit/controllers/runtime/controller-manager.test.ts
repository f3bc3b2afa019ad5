import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Pod } from '../../../../src/model/types.js';
import { terminalError } from '../../../../src/controllers/runtime/terminal-error.js';
import type { Controller, ReconcileRequest } from '../../../../src/controllers/runtime/types.js';
import { container, startHarness, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function recorder(name: string, behave: (req: ReconcileRequest, n: number) => Promise<unknown> | unknown = () => undefined) {
  const seen: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const c: Controller = {
    name,
    for: { apiVersion: 'v1', kind: 'ConfigMap' },
    owns: [{ apiVersion: 'v1', kind: 'Pod' }],
    async reconcile(req) {
      running++;
      maxRunning = Math.max(maxRunning, running);
      seen.push(`${req.namespace}/${req.name}`);
      try {
        await new Promise((r) => setImmediate(r));
        return (await behave(req, seen.filter((s) => s === `${req.namespace}/${req.name}`).length)) as never;
      } finally {
        running--;
      }
    },
  };
  return { c, seen, maxRunning: () => maxRunning };
}

const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });

describe('ControllerManager', () => {
  it('rejects duplicate and malformed controllers', async () => {
    h = await startHarness([]);
    const r = recorder('x');
    await h.manager.register(r.c);
    expect(() => h!.manager.register(r.c)).toThrow(/already exists/);
    expect(() => h!.manager.register({ ...r.c, name: '' })).toThrow(/name/);
  });

  it('reconciles objects of its kind, and owners of owned objects; started after start', async () => {
    h = await startHarness([]);
    const r = recorder('cm');
    await h.manager.register(r.c);
    const ctx = h.cluster.context;
    const owner = await ctx.client<ConfigMap>('v1', 'ConfigMap', 'default').create(cm('owner'));
    await h.idle();
    expect(r.seen).toEqual(['default/owner']);
    await ctx.client<Pod>('v1', 'Pod', 'default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'child',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, controller: true }],
      },
      spec: { containers: [container] },
    });
    await ctx
      .client<Pod>('v1', 'Pod', 'default')
      .create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' }, spec: { containers: [container] } });
    await h.idle();
    // the child woke its owner (maybe more than once: level-triggered); the stray woke nobody
    expect(r.seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(r.seen)).toEqual(new Set(['default/owner']));
  });

  it('retries errors with back-off, not terminal errors, and honours requeueAfterMs', async () => {
    h = await startHarness([]);
    const r = recorder('cm', (req, n) => {
      if (req.name === 'flaky' && n < 3) throw new Error('try again');
      if (req.name === 'broken') throw terminalError(new Error('cannot work'));
      if (req.name === 'later' && n === 1) return { requeueAfterMs: 60_000 };
      return undefined;
    });
    await h.manager.register(r.c);
    const c = h.cluster.context.client<ConfigMap>('v1', 'ConfigMap', 'default');
    await c.create(cm('flaky'));
    await c.create(cm('broken'));
    await c.create(cm('later'));
    await h.idle();
    for (let i = 0; i < 5; i++) {
      await h.clock.advance(100);
      await h.idle();
    }
    const count = (n: string) => r.seen.filter((s) => s === `default/${n}`).length;
    expect(count('flaky')).toBe(3);
    expect(count('broken')).toBe(1);
    expect(count('later')).toBe(1);
    await h.clock.advance(60_000);
    await h.idle();
    expect(count('later')).toBe(2);
    const events = await h.cluster.events.list('default');
    expect(events.some((e) => e.reason === 'ReconcileError' && e.involvedObject?.name === 'broken')).toBe(true);
  });

  it('coalesces a burst of events for one object, arriving while workers are idle, into one reconcile', async () => {
    h = await startHarness([]);
    const r = recorder('cm');
    await h.manager.register(r.c);
    const ctx = h.cluster.context;
    const owner = await ctx.client<ConfigMap>('v1', 'ConfigMap', 'default').create(cm('owner'));
    await h.idle();
    r.seen.length = 0;
    const ref = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, controller: true }];
    const pc = ctx.client<Pod>('v1', 'Pod', 'default');
    // ten owned pods created in one burst (no macrotask between them): one reconcile of the owner
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pc.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, ownerReferences: ref }, spec: { containers: [container] } }),
      ),
    );
    await h.idle();
    expect(r.seen).toEqual(['default/owner']);
  });

  it('never reconciles one object twice at once, and runs several objects in parallel', async () => {
    h = await startHarness([]);
    const r = recorder('cm');
    await h.manager.register(r.c);
    const c = h.cluster.context.client<ConfigMap>('v1', 'ConfigMap', 'default');
    for (let i = 0; i < 8; i++) await c.create(cm(`m${i}`));
    for (let i = 0; i < 3; i++) await c.patch('m0', { data: { i: String(i) } });
    await h.idle();
    expect(new Set(r.seen).size).toBe(8);
    expect(r.maxRunning()).toBeLessThanOrEqual(4);
  });
});
