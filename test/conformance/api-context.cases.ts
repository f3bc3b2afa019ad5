/**
 * The ApiContext contract, run against every implementation (the in-process context and the
 * HTTP one over `cluster.serve()`): a component written against it runs unchanged on either.
 */
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/client/types.js';
import { kinds } from '../../src/client/kinds.js';
import { TugboatError } from '../../src/model/errors.js';
import type { ConfigMap, Pod, WatchEvent } from '../../src/model/types.js';

/** What a runner provides: a fresh namespace's context, and a way to create a CRD server-side. */
export interface ApiContextHarness {
  ctx(): ApiContext;
  /** Expires watch history older than now (compaction), so an old resourceVersion answers Expired. */
  compact?(): Promise<void>;
}

const cm = (name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>) => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    if (!TugboatError.is(e)) throw e;
    return e.reason;
  }
}

async function take<T>(it: AsyncIterable<T>, n: number, until: (t: T) => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  for await (const e of it) {
    if (until(e)) out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

/** Runs the shared ApiContext cases. */
export function runApiContextCases(name: string, h: ApiContextHarness): void {
  describe(`ApiContext contract: ${name}`, () => {
    it('creates, gets, finds, updates with optimistic concurrency, and deletes; errors are typed', async () => {
      const c = h.ctx().client(kinds.ConfigMap, 'default');
      const created = await c.create(cm('ctx-crud'));
      expect(created.apiVersion).toBe('v1');
      expect(created.kind).toBe('ConfigMap');
      expect(created.metadata.uid).toBeTruthy();
      expect(Object.isFrozen(created)).toBe(true);
      expect(await reason(c.create(cm('ctx-crud')))).toBe('AlreadyExists');
      expect((await c.get('ctx-crud')).data).toEqual({ a: '1' });
      expect(await c.find('ctx-missing')).toBeUndefined();
      expect(await reason(c.get('ctx-missing'))).toBe('NotFound');
      const updated = await c.update({ ...created, data: { a: '2' } } as ConfigMap);
      expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
      expect(await reason(c.update({ ...created, data: { a: '3' } } as ConfigMap))).toBe('Conflict');
      const bad = await c.create(cm('Bad_Name')).catch((e) => e);
      expect(TugboatError.is(bad, 'Invalid')).toBe(true);
      expect(bad.causes[0].field).toBe('metadata.name');
      await c.delete('ctx-crud');
      expect(await c.find('ctx-crud')).toBeUndefined();
      expect(await reason(c.delete('ctx-crud'))).toBe('NotFound');
    });

    it('patches as merge, strategic and JSON patches; writes report warnings; dryRun stores nothing', async () => {
      const ctx = h.ctx();
      const c = ctx.client(kinds.ConfigMap, 'default');
      await c.create(cm('ctx-patch', { a: '1', b: '2' }));
      expect((await c.patch('ctx-patch', { data: { b: null, c: '3' } })).data).toEqual({ a: '1', c: '3' });
      expect((await c.patch('ctx-patch', [{ op: 'replace', path: '/data/a', value: 'x' }], 'json')).data).toEqual({ a: 'x', c: '3' });
      const d = ctx.client(kinds.Deployment, 'default');
      await d.create({
        metadata: { name: 'ctx-dep' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'p' } },
          template: { metadata: { labels: { app: 'p' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } },
        },
      });
      const patched = await d.patch(
        'ctx-dep',
        { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox' }] } } } },
        'strategic',
      );
      expect(patched.spec!.template.spec!.containers.map((x) => x.name).sort()).toEqual(['a', 'b']);
      const warnings: string[] = [];
      await c.create({ metadata: { name: 'ctx-warn' }, data: {}, bogus: 1 } as unknown as ConfigMap, { warnings });
      expect(warnings.join('\n')).toContain('bogus');
      await c.create(cm('ctx-dry'), { dryRun: true });
      expect(await c.find('ctx-dry')).toBeUndefined();
    });

    it('lists with label selectors and pages with limit/continue', async () => {
      const c = h.ctx().client(kinds.ConfigMap, 'default');
      for (const i of [1, 2, 3]) await c.create(cm(`ctx-list-${i}`, {}, { suite: 'list', n: String(i) }));
      const all = await c.list({ labelSelector: 'suite=list' });
      expect(all.items.map((x) => x.metadata.name)).toEqual(['ctx-list-1', 'ctx-list-2', 'ctx-list-3']);
      expect(all.resourceVersion).toBeTruthy();
      expect(all.items.every((x) => x.apiVersion === 'v1' && x.kind === 'ConfigMap' && Object.isFrozen(x))).toBe(true);
      expect((await c.list({ labelSelector: { matchLabels: { suite: 'list', n: '2' } } })).items).toHaveLength(1);
      const first = await c.list({ labelSelector: 'suite=list', limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.continue).toBeTruthy();
      const rest = await c.list({ labelSelector: 'suite=list', limit: 2, continue: first.continue });
      expect(rest.items.map((x) => x.metadata.name)).toEqual(['ctx-list-3']);
    });

    it("pages a list at the first page's resourceVersion: writes between pages do not show, remainingItemCount counts the rest", async () => {
      const ctx = h.ctx();
      await ctx.client(kinds.Namespace).create({ metadata: { name: 'ctx-pages' } });
      const c = ctx.client(kinds.ConfigMap, 'ctx-pages');
      for (let i = 0; i < 10; i++) await c.create(cm(`p-${i}`, { v: '1' }));
      const names = (l: { items: ConfigMap[] }) => l.items.map((x) => x.metadata.name);
      const first = await c.list({ limit: 3 });
      expect([names(first), first.remainingItemCount]).toEqual([['p-0', 'p-1', 'p-2'], 7]);
      await c.delete('p-4');
      await c.patch('p-5', { data: { v: '2' } });
      await c.create(cm('p-45', { v: '2' }));
      const second = await c.list({ limit: 3, continue: first.continue });
      expect([names(second), second.remainingItemCount, second.resourceVersion]).toEqual([['p-3', 'p-4', 'p-5'], 4, first.resourceVersion]);
      expect(second.items.map((x) => x.data?.v)).toEqual(['1', '1', '1']);
      const pages = [first, second];
      while (pages[pages.length - 1]!.continue) pages.push(await c.list({ limit: 3, continue: pages[pages.length - 1]!.continue }));
      expect(pages.flatMap(names)).toEqual(Array.from({ length: 10 }, (_, i) => `p-${i}`));
      expect(pages.map((p) => p.remainingItemCount)).toEqual([7, 4, 1, undefined]);
      const now = await c.list();
      expect(names(now)).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-45', 'p-5', 'p-6', 'p-7', 'p-8', 'p-9']);
      if (!h.compact) return;
      // A token older than the history: Expired (410), with a token that reads the rest now.
      const stale = await c.list({ limit: 3 });
      await c.delete('p-3');
      await h.compact();
      const err = await c.list({ limit: 3, continue: stale.continue }).catch((e) => e);
      expect([TugboatError.is(err, 'Expired'), err.code]).toEqual([true, 410]);
      expect(err.message).toContain('use the continue token in this response');
      const rest = await c.list({ limit: 100, continue: err.status.metadata?.continue });
      expect(names(rest)).toEqual(['p-45', 'p-5', 'p-6', 'p-7', 'p-8', 'p-9']);
      expect(Number(rest.resourceVersion)).toBeGreaterThan(Number(stale.resourceVersion));
    });

    it('watches from a resourceVersion in order, filtered by label, and stops on abort', async () => {
      const c = h.ctx().client(kinds.ConfigMap, 'default');
      const start = (await c.list()).resourceVersion;
      const ac = new AbortController();
      const events = take(
        c.watch({ resourceVersion: start, labelSelector: 'suite=watch', signal: ac.signal }),
        3,
        (e) => e.type !== 'BOOKMARK',
      );
      await c.create(cm('ctx-w-other'));
      const w = await c.create(cm('ctx-w', {}, { suite: 'watch' }));
      await c.patch('ctx-w', { data: { z: '1' } });
      await c.delete('ctx-w');
      const got = (await events) as WatchEvent<ConfigMap>[];
      ac.abort();
      expect(got.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'ctx-w'],
        ['MODIFIED', 'ctx-w'],
        ['DELETED', 'ctx-w'],
      ]);
      expect(got[0]!.object.metadata.uid).toBe(w.metadata.uid);
      expect(Number(got[2]!.object.metadata.resourceVersion)).toBeGreaterThan(Number(got[1]!.object.metadata.resourceVersion));
    });

    it('a watch without a resourceVersion starts with the current objects as ADDED', async () => {
      const c = h.ctx().client(kinds.ConfigMap, 'default');
      await c.create(cm('ctx-initial', {}, { suite: 'initial' }));
      const ac = new AbortController();
      const [first] = await take<WatchEvent<ConfigMap>>(
        c.watch({ labelSelector: 'suite=initial', signal: ac.signal }),
        1,
        (e) => e.type !== 'BOOKMARK',
      );
      ac.abort();
      expect([first!.type, first!.object.metadata.name]).toEqual(['ADDED', 'ctx-initial']);
    });

    it('writes status through the status subresource only, and scales through scale', async () => {
      const ctx = h.ctx();
      const pods = ctx.client(kinds.Pod, 'default');
      const pod = await pods.create({ metadata: { name: 'ctx-status' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
      const ignored = await pods.update({ ...pod, status: { phase: 'Running' } } as Pod);
      expect(ignored.status?.phase).not.toBe('Running');
      const fresh = await pods.get('ctx-status');
      expect((await pods.updateStatus({ ...fresh, status: { ...fresh.status, phase: 'Running' } } as Pod)).status?.phase).toBe('Running');
      expect((await pods.patchStatus('ctx-status', { status: { message: 'hi' } })).status?.message).toBe('hi');
      const d = ctx.client(kinds.Deployment, 'default');
      await d.create({
        metadata: { name: 'ctx-scale' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 's' } },
          template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } },
        },
      });
      expect((await d.getScale('ctx-scale')).spec?.replicas).toBe(1);
      expect((await d.updateScale('ctx-scale', { spec: { replicas: 4 } })).spec?.replicas).toBe(4);
      expect((await d.get('ctx-scale')).spec?.replicas).toBe(4);
    });

    it('binds a pod once (Conflict on a second binding) and evicts it', async () => {
      const ctx = h.ctx();
      const pods = ctx.client(kinds.Pod, 'default');
      await pods.create({ metadata: { name: 'ctx-bind' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
      const bound = await ctx.bindPod({ namespace: 'default', name: 'ctx-bind', nodeName: 'n1' });
      expect(bound.spec!.nodeName).toBe('n1');
      expect(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
      expect(await reason(ctx.bindPod({ namespace: 'default', name: 'ctx-bind', nodeName: 'n2' }))).toBe('Conflict');
      await ctx.evictPod({ namespace: 'default', name: 'ctx-bind', deleteOptions: { gracePeriodSeconds: 0 } });
      const after = await pods.find('ctx-bind');
      expect(after === undefined || after.metadata.deletionTimestamp !== undefined).toBe(true);
    });

    it('issues a ServiceAccount token (TokenRequest), Invalid for too short a lifetime, NotFound without the account', async () => {
      const ctx = h.ctx();
      await ctx.client(kinds.ServiceAccount, 'default').create({ metadata: { name: 'ctx-bot' } });
      const tr = await ctx.createToken({ namespace: 'default', serviceAccount: 'ctx-bot', expirationSeconds: 1200 });
      expect(tr.kind).toBe('TokenRequest');
      expect(tr.spec.expirationSeconds).toBe(1200);
      expect(tr.status?.token.split('.')).toHaveLength(3);
      const claims = JSON.parse(Buffer.from(tr.status!.token.split('.')[1], 'base64url').toString('utf8'));
      expect(claims.sub).toBe('system:serviceaccount:default:ctx-bot');
      expect(claims.exp - claims.iat).toBe(1200);
      expect(await reason(ctx.createToken({ namespace: 'default', serviceAccount: 'ctx-bot', expirationSeconds: 10 }))).toBe('Invalid');
      expect(await reason(ctx.createToken({ namespace: 'default', serviceAccount: 'ctx-nobody' }))).toBe('NotFound');
    });

    it('serves a kind at two versions: a HorizontalPodAutoscaler written through autoscaling/v1 is read, watched and patched through both', async () => {
      const ctx = h.ctx();
      const v1 = ctx.client('autoscaling/v1', 'HorizontalPodAutoscaler', 'default');
      const v2 = ctx.client('autoscaling/v2', 'HorizontalPodAutoscaler', 'default');
      const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ctx-web' };
      const created = await v1.create({
        metadata: { name: 'ctx-hpa' },
        spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 40 },
      } as never);
      expect(created.apiVersion).toBe('autoscaling/v1');
      const asV2 = (await v2.get('ctx-hpa')) as unknown as { apiVersion: string; spec: { metrics: unknown[] } };
      expect(asV2.apiVersion).toBe('autoscaling/v2');
      expect(asV2.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 40 } } },
      ]);
      const abort = new AbortController();
      const events = take(v1.watch({ resourceVersion: created.metadata.resourceVersion, signal: abort.signal }), 1);
      await v2.patch('ctx-hpa', { spec: { maxReplicas: 5 } });
      const [modified] = await events;
      abort.abort();
      if (!modified) throw new Error('no event through autoscaling/v1');
      expect([modified.type, modified.object.apiVersion, (modified.object.spec as { maxReplicas: number }).maxReplicas]).toEqual([
        'MODIFIED',
        'autoscaling/v1',
        5,
      ]);
      const patched = await v1.patch('ctx-hpa', { spec: { targetCPUUtilizationPercentage: 70 } });
      expect((patched.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage).toBe(70);
      expect((await v1.list()).items.map((o) => [o.apiVersion, o.metadata.name])).toEqual([['autoscaling/v1', 'ctx-hpa']]);
      await v1.delete('ctx-hpa');
      expect(await v2.find('ctx-hpa')).toBeUndefined();
    });

    it('discovers built-in kinds and kinds of CustomResourceDefinitions', async () => {
      const ctx = h.ctx();
      await ctx.client(kinds.CustomResourceDefinition).create({
        metadata: { name: 'gadgets.ctx.example.com' },
        spec: {
          group: 'ctx.example.com',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
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
      } as never);
      let found = false;
      for (let i = 0; i < 50 && !found; i++) {
        found = (await ctx.discover()).some((t) => t.group === 'ctx.example.com' && t.kind === 'Gadget');
        if (!found) await new Promise((r) => setTimeout(r, 20));
      }
      expect(found).toBe(true);
      const types = await ctx.discover();
      const deploy = types.find((t) => t.group === 'apps' && t.kind === 'Deployment')!;
      expect([deploy.plural, deploy.namespaced, deploy.hasStatus]).toEqual(['deployments', true, true]);
      const gadgets = ctx.client('ctx.example.com/v1', 'Gadget', 'default');
      await gadgets.create({ metadata: { name: 'g1' }, spec: { size: 3 } } as never);
      expect(((await gadgets.get('g1')) as unknown as { spec: { size: number } }).spec.size).toBe(3);
    });
  });
}
