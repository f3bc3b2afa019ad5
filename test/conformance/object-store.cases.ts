/**
 * The ObjectStore conformance suite. Every store (memory, sqlite, etcd) runs it:
 * `runObjectStoreConformance('MemoryStore', (o) => new MemoryStore(o))`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../src/model/types.js';
import type { Selector } from '../../src/model/selector.js';
import type { FieldSelector } from '../../src/model/field-selector.js';
import type { ObjectStore } from '../../src/store/types.js';
import type { Clock } from '../../src/clock/types.js';
import { FakeClock } from '../../src/clock/fake-clock.js';
import { TugboatError } from '../../src/model/errors.js';

/** What the suite asks of a store factory; a store may ignore what it cannot honour. */
export interface ConformanceStoreOptions {
  /** Changes kept for resuming watches (the Expired cases use a small one). */
  historySize?: number;
  /** Source of creationTimestamp and bookmark timers. */
  clock?: Clock;
}

const PODS = 'core/pods';

/** A label selector `key=value`, built by hand so the suite does not depend on the parser. */
export function labelIs(key: string, value: string): Selector {
  return {
    requirements: [{ key, operator: '=', values: [value] }],
    matches: (labels) => labels?.[key] === value,
    isEmpty: () => false,
    toString: () => `${key}=${value}`,
  };
}

/** A field selector `path=value` over dotted paths, built by hand. */
export function fieldIs(path: string, value: string): FieldSelector {
  const read = (obj: KubeObject): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
  return {
    requirements: [{ field: path, operator: '=', value }],
    matches: (obj) => String(read(obj) ?? '') === value,
    isEmpty: () => false,
    toString: () => `${path}=${value}`,
  };
}

/** A pod manifest. */
export function pod(name: string, namespace = 'default', extra: Partial<KubeObject> & { labels?: Record<string, string> } = {}): KubeObject {
  const { labels, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    ...rest,
  };
}

function names(items: KubeObject[]): string[] {
  return items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
}

function summary(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
}

async function expectReason(p: Promise<unknown>, reason: string, message?: RegExp): Promise<TugboatError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TugboatError.is(err), `expected TugboatError ${reason}, got ${String(err)}`).toBe(true);
  expect((err as TugboatError).reason).toBe(reason);
  if (message) expect((err as TugboatError).message).toMatch(message);
  return err as TugboatError;
}

/**
 * Registers the conformance cases for one ObjectStore implementation.
 * @param name shown in the test report
 * @param makeStore makes a fresh, empty store
 */
export function runObjectStoreConformance(
  name: string,
  makeStore: (options: ConformanceStoreOptions) => Promise<ObjectStore> | ObjectStore,
): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    const open: ObjectStore[] = [];
    const fresh = async (options: ConformanceStoreOptions = {}): Promise<ObjectStore> => {
      const store = await makeStore(options);
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    describe('create', () => {
      it('stamps uid, creationTimestamp (RFC 3339, seconds), resourceVersion and generation 1', async () => {
        const clock = new FakeClock(new Date('2026-03-04T05:06:07.890Z'));
        const store = await fresh({ clock });
        const created = await store.create(PODS, pod('web'));
        expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.metadata.creationTimestamp).toBe('2026-03-04T05:06:07Z');
        expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(created.metadata.generation).toBe(1);
        expect(created.spec).toEqual(pod('web').spec);
        const other = await store.create(PODS, pod('db'));
        expect(other.metadata.uid).not.toBe(created.metadata.uid);
      });

      it('hands out deeply frozen objects, and get returns the stored state', async () => {
        const store = await fresh();
        const created = await store.create(PODS, pod('web', 'default', { labels: { app: 'web' } }));
        const got = await store.get({ resource: PODS, namespace: 'default', name: 'web' });
        expect(got).toEqual(created);
        for (const o of [created, got!]) {
          expect(Object.isFrozen(o)).toBe(true);
          expect(Object.isFrozen(o.metadata)).toBe(true);
          expect(Object.isFrozen(o.metadata.labels)).toBe(true);
          expect(Object.isFrozen((o.spec as { containers: unknown[] }).containers[0])).toBe(true);
        }
      });

      it('copies the input: later changes by the caller do not reach the store', async () => {
        const store = await fresh();
        const input = pod('web', 'default', { labels: { app: 'web' } });
        await store.create(PODS, input);
        input.metadata.labels!.app = 'changed';
        (input.spec as { containers: { image: string }[] }).containers[0].image = 'evil';
        expect(input.metadata.resourceVersion).toBeUndefined();
        const got = await store.get({ resource: PODS, namespace: 'default', name: 'web' });
        expect(got!.metadata.labels).toEqual({ app: 'web' });
        expect((got!.spec as { containers: { image: string }[] }).containers[0].image).toBe('nginx');
      });

      it('fails AlreadyExists on a taken key, but not across namespaces or resources', async () => {
        const store = await fresh();
        await store.create(PODS, pod('web'));
        await expectReason(store.create(PODS, pod('web')), 'AlreadyExists', /pods "web" already exists/);
        await store.create(PODS, pod('web', 'other'));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' } });
        expect((await store.list({ resource: PODS })).items).toHaveLength(2);
      });

      it('rejects a set resourceVersion with BadRequest and stores nothing', async () => {
        const store = await fresh();
        const before = await store.currentResourceVersion();
        const obj = pod('web');
        obj.metadata = { ...obj.metadata, resourceVersion: '5' };
        await expectReason(store.create(PODS, obj), 'BadRequest', /resourceVersion should not be set on objects to be created/);
        expect(await store.get({ resource: PODS, namespace: 'default', name: 'web' })).toBeUndefined();
        expect(await store.currentResourceVersion()).toBe(before);
      });

      it('requires a name or a generateName', async () => {
        const store = await fresh();
        const err = await expectReason(store.create(PODS, pod('')), 'Invalid');
        expect(err.causes.map((c) => c.field)).toContain('metadata.name');
      });

      it('generateName appends 5 characters of Kubernetes\' alphabet', async () => {
        const store = await fresh();
        const seen = new Set<string>();
        for (let i = 0; i < 20; i++) {
          const obj = pod('');
          obj.metadata.generateName = 'web-';
          const created = await store.create(PODS, obj);
          expect(created.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
          expect(created.metadata.generateName).toBe('web-');
          seen.add(created.metadata.name!);
        }
        expect(seen.size).toBe(20);
      });

      it('gives every write the next store-wide resourceVersion', async () => {
        const store = await fresh();
        const start = Number(await store.currentResourceVersion());
        const a = await store.create(PODS, pod('a'));
        const b = await store.create('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' }, spec: {} });
        const a2 = await store.update(PODS, { ...a, metadata: { ...a.metadata, labels: { x: '1' } } });
        const gone = await store.delete({ resource: PODS, namespace: 'default', name: 'a' });
        const rvs = [a, b, a2].map((o) => Number(o.metadata.resourceVersion));
        expect(rvs[0]).toBeGreaterThan(start);
        expect(rvs[1]).toBeGreaterThan(rvs[0]);
        expect(rvs[2]).toBeGreaterThan(rvs[1]);
        expect(gone.metadata.resourceVersion).toBe(a2.metadata.resourceVersion);
        expect(Number(await store.currentResourceVersion())).toBeGreaterThan(rvs[2]);
      });
    });

    describe('update', () => {
      it('fails NotFound when the object is absent', async () => {
        const store = await fresh();
        await expectReason(store.update(PODS, pod('ghost')), 'NotFound', /pods "ghost" not found/);
      });

      it('fails Conflict on a stale resourceVersion; without one it updates unconditionally', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web'));
        const v2 = await store.update(PODS, { ...v1, metadata: { ...v1.metadata, labels: { v: '2' } } });
        await expectReason(
          store.update(PODS, { ...v1, metadata: { ...v1.metadata, labels: { v: 'stale' } } }),
          'Conflict',
          /the object has been modified; please apply your changes to the latest version and try again/,
        );
        const { resourceVersion: _rv, ...meta } = v2.metadata;
        const v3 = await store.update(PODS, { ...v2, metadata: { ...meta, labels: { v: '3' } } });
        expect(v3.metadata.labels).toEqual({ v: '3' });
        expect(Number(v3.metadata.resourceVersion)).toBeGreaterThan(Number(v2.metadata.resourceVersion));
      });

      it('keeps uid and creationTimestamp; a different uid is a failed precondition', async () => {
        const clock = new FakeClock();
        const store = await fresh({ clock });
        const v1 = await store.create(PODS, pod('web'));
        await clock.advance(60_000);
        const v2 = await store.update(PODS, { ...v1, metadata: { ...v1.metadata, creationTimestamp: '2000-01-01T00:00:00Z', labels: { a: 'b' } } });
        expect(v2.metadata.uid).toBe(v1.metadata.uid);
        expect(v2.metadata.creationTimestamp).toBe(v1.metadata.creationTimestamp);
        await expectReason(store.update(PODS, { ...v2, metadata: { ...v2.metadata, uid: 'other', labels: {} } }), 'Conflict', /UID/);
      });

      it('bumps generation only when something besides metadata and status changes', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web'));
        const labelled = await store.update(PODS, { ...v1, metadata: { ...v1.metadata, labels: { a: 'b' } } });
        expect(labelled.metadata.generation).toBe(1);
        const withStatus = await store.update(PODS, { ...labelled, status: { phase: 'Running' } });
        expect(withStatus.metadata.generation).toBe(1);
        expect(withStatus.status).toEqual({ phase: 'Running' });
        const respec = await store.update(PODS, { ...withStatus, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } });
        expect(respec.metadata.generation).toBe(2);
        const extra = await store.update(PODS, { ...respec, data: { k: 'v' } });
        expect(extra.metadata.generation).toBe(3);
        const forged = await store.update(PODS, { ...extra, metadata: { ...extra.metadata, generation: 99 } });
        expect(forged.metadata.generation).toBe(3);
      });

      it('skips a no-op update: same object, no new resourceVersion, no watch event', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web', 'default', { labels: { a: 'b' } }));
        const it = store.watch({ resource: PODS }, { resourceVersion: v1.metadata.resourceVersion })[Symbol.asyncIterator]();
        const same = await store.update(PODS, structuredClone(v1));
        expect(same).toEqual(v1);
        expect(same.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
        expect(await store.currentResourceVersion()).toBe(v1.metadata.resourceVersion);
        const marker = await store.create(PODS, pod('marker'));
        const [event] = await take(it, 1);
        expect(event.type).toBe('ADDED');
        expect(event.object.metadata.resourceVersion).toBe(marker.metadata.resourceVersion);
        await it.return?.();
      });

      it('accepts frozen inputs and returns a new frozen object', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web'));
        const v2 = await store.update(PODS, Object.freeze({ ...v1, status: { phase: 'Pending' } }));
        expect(Object.isFrozen(v2.status)).toBe(true);
        expect(v1.status).toBeUndefined();
      });
    });

    describe('delete', () => {
      it('fails NotFound when the object is absent', async () => {
        const store = await fresh();
        await expectReason(store.delete({ resource: PODS, namespace: 'default', name: 'ghost' }), 'NotFound');
      });

      it('checks uid and resourceVersion preconditions, then removes the object', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web'));
        const key = { resource: PODS, namespace: 'default', name: 'web' };
        await expectReason(store.delete(key, { uid: 'nope' }), 'Conflict', /Precondition failed: UID/);
        await expectReason(store.delete(key, { resourceVersion: '1' }), 'Conflict', /Precondition failed: ResourceVersion/);
        expect(await store.get(key)).toBeDefined();
        const gone = await store.delete(key, { uid: v1.metadata.uid, resourceVersion: v1.metadata.resourceVersion });
        expect(gone.metadata.uid).toBe(v1.metadata.uid);
        expect(await store.get(key)).toBeUndefined();
        expect(Number(await store.currentResourceVersion())).toBeGreaterThan(Number(v1.metadata.resourceVersion));
        await store.create(PODS, pod('web'));
      });
    });

    describe('list', () => {
      it('returns a resource\'s objects sorted by namespace then name, with the current resourceVersion', async () => {
        const store = await fresh();
        for (const [ns, n] of [['b', 'z'], ['a', 'y'], ['b', 'a'], ['a', 'b'], ['c', 'm']]) await store.create(PODS, pod(n, ns));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' } });
        const all = await store.list({ resource: PODS });
        expect(names(all.items)).toEqual(['a/b', 'a/y', 'b/a', 'b/z', 'c/m']);
        expect(all.resourceVersion).toBe(await store.currentResourceVersion());
        expect(names((await store.list({ resource: PODS, namespace: 'b' })).items)).toEqual(['b/a', 'b/z']);
        expect((await store.list({ resource: 'core/nothing' })).items).toEqual([]);
      });

      it('lists cluster-scoped objects', async () => {
        const store = await fresh();
        await store.create('core/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
        await store.create('core/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
        expect((await store.list({ resource: 'core/nodes' })).items.map((o) => o.metadata.name)).toEqual(['n1', 'n2']);
        expect(await store.get({ resource: 'core/nodes', name: 'n1' })).toBeDefined();
      });

      it('filters by label and field selectors', async () => {
        const store = await fresh();
        await store.create(PODS, pod('a', 'default', { labels: { app: 'web' }, status: { phase: 'Running' } }));
        await store.create(PODS, pod('b', 'default', { labels: { app: 'db' }, status: { phase: 'Running' } }));
        await store.create(PODS, pod('c', 'default', { labels: { app: 'web' }, status: { phase: 'Pending' } }));
        await store.create(PODS, pod('d', 'default'));
        const web = await store.list({ resource: PODS }, { labelSelector: labelIs('app', 'web') });
        expect(names(web.items)).toEqual(['default/a', 'default/c']);
        const running = await store.list({ resource: PODS }, { fieldSelector: fieldIs('status.phase', 'Running') });
        expect(names(running.items)).toEqual(['default/a', 'default/b']);
        const both = await store.list({ resource: PODS }, { labelSelector: labelIs('app', 'web'), fieldSelector: fieldIs('status.phase', 'Running') });
        expect(names(both.items)).toEqual(['default/a']);
      });
    });

    describe('watch', () => {
      it('without a resourceVersion starts with ADDED for current objects, then follows changes', async () => {
        const store = await fresh();
        await store.create(PODS, pod('b'));
        await store.create(PODS, pod('a'));
        for (const resourceVersion of [undefined, '0']) {
          const it = store.watch({ resource: PODS }, { resourceVersion })[Symbol.asyncIterator]();
          const first = await take(it, 2);
          expect(first.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
          await it.return?.();
        }
        const it = store.watch({ resource: PODS })[Symbol.asyncIterator]();
        await take(it, 2);
        const c = await store.create(PODS, pod('c'));
        expect(summary(await take(it, 1))).toEqual([`ADDED c ${c.metadata.resourceVersion}`]);
        await it.return?.();
      });

      it('with a resourceVersion replays every later change in order, then follows live ones', async () => {
        const store = await fresh();
        const a = await store.create(PODS, pod('a'));
        const b = await store.create(PODS, pod('b'));
        const a2 = await store.update(PODS, { ...a, metadata: { ...a.metadata, labels: { v: '2' } } });
        await store.delete({ resource: PODS, namespace: 'default', name: 'b' });
        const it = store.watch({ resource: PODS }, { resourceVersion: a.metadata.resourceVersion })[Symbol.asyncIterator]();
        const replay = await take(it, 3);
        expect(replay.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b']);
        expect(replay[0].object).toEqual(b);
        expect(replay[1].object).toEqual(a2);
        const rvs = replay.map((e) => Number(e.object.metadata.resourceVersion));
        expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
        expect(new Set(rvs).size).toBe(3);
        const c = await store.create(PODS, pod('c'));
        expect(summary(await take(it, 1))).toEqual([`ADDED c ${c.metadata.resourceVersion}`]);
        await it.return?.();
      });

      it('DELETED carries the last state with the deletion\'s new resourceVersion', async () => {
        const store = await fresh();
        const a = await store.create(PODS, pod('a', 'default', { labels: { keep: 'me' } }));
        const it = store.watch({ resource: PODS }, { resourceVersion: a.metadata.resourceVersion })[Symbol.asyncIterator]();
        await store.delete({ resource: PODS, namespace: 'default', name: 'a' });
        const [event] = await take(it, 1);
        expect(event.type).toBe('DELETED');
        expect(event.object.metadata.labels).toEqual({ keep: 'me' });
        expect(event.object.metadata.uid).toBe(a.metadata.uid);
        expect(event.object.metadata.resourceVersion).toBe(await store.currentResourceVersion());
        expect(Object.isFrozen(event.object.metadata)).toBe(true);
        await it.return?.();
      });

      it('fails Expired (410) for a resourceVersion older than the kept history', async () => {
        const store = await fresh({ historySize: 5 });
        const first = await store.create(PODS, pod('first'));
        for (let i = 0; i < 10; i++) await store.create(PODS, pod(`p${i}`));
        const it = store.watch({ resource: PODS }, { resourceVersion: first.metadata.resourceVersion })[Symbol.asyncIterator]();
        const err = await expectReason(it.next(), 'Expired', /too old resource version/);
        expect(err.code).toBe(410);
        const recent = await store.list({ resource: PODS });
        const ok = store.watch({ resource: PODS }, { resourceVersion: recent.resourceVersion })[Symbol.asyncIterator]();
        const z = await store.create(PODS, pod('z'));
        expect(summary(await take(ok, 1))).toEqual([`ADDED z ${z.metadata.resourceVersion}`]);
        await ok.return?.();
      });

      it('fails BadRequest for a malformed resourceVersion', async () => {
        const store = await fresh();
        const it = store.watch({ resource: PODS }, { resourceVersion: 'abc' })[Symbol.asyncIterator]();
        await expectReason(it.next(), 'BadRequest');
      });

      it('with a resourceVersion newer than current delivers only the changes after it', async () => {
        const store = await fresh();
        const now = Number(await store.currentResourceVersion());
        const it = store.watch({ resource: PODS }, { resourceVersion: String(now + 2) })[Symbol.asyncIterator]();
        await store.create(PODS, pod('skip1'));
        await store.create(PODS, pod('skip2'));
        const seen = await store.create(PODS, pod('seen'));
        expect(summary(await take(it, 1))).toEqual([`ADDED seen ${seen.metadata.resourceVersion}`]);
        await it.return?.();
      });

      it('scopes to one namespace and one resource', async () => {
        const store = await fresh();
        const it = store.watch({ resource: PODS, namespace: 'mine' })[Symbol.asyncIterator]();
        await store.create(PODS, pod('other', 'theirs'));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'mine' } });
        await store.create(PODS, pod('own', 'mine'));
        expect((await take(it, 1)).map((e) => e.object.metadata.name)).toEqual(['own']);
        await it.return?.();
      });

      it('turns selector transitions into ADDED and DELETED, as Kubernetes does', async () => {
        const store = await fresh();
        const a = await store.create(PODS, pod('a', 'default', { labels: { app: 'web' } }));
        const it = store.watch({ resource: PODS }, { labelSelector: labelIs('app', 'web') })[Symbol.asyncIterator]();
        expect(summary(await take(it, 1))).toEqual([`ADDED a ${a.metadata.resourceVersion}`]);
        const hidden = await store.create(PODS, pod('b', 'default', { labels: { app: 'db' } }));
        const a2 = await store.update(PODS, { ...a, status: { phase: 'Running' } });
        const a3 = await store.update(PODS, { ...a2, metadata: { ...a2.metadata, labels: { app: 'db' } } });
        await store.update(PODS, { ...a3, status: { phase: 'Failed' } });
        const b2 = await store.update(PODS, { ...hidden, metadata: { ...hidden.metadata, labels: { app: 'web' } } });
        await store.delete({ resource: PODS, namespace: 'default', name: 'b' });
        const events = await take(it, 4);
        expect(summary(events)).toEqual([
          `MODIFIED a ${a2.metadata.resourceVersion}`,
          `DELETED a ${a3.metadata.resourceVersion}`,
          `ADDED b ${b2.metadata.resourceVersion}`,
          `DELETED b ${await store.currentResourceVersion()}`,
        ]);
        expect(events[1].object.metadata.labels).toEqual({ app: 'web' });
        expect(events[1].object.status).toEqual({ phase: 'Running' });
        await it.return?.();
      });

      it('applies field selectors to watch events', async () => {
        const store = await fresh();
        const it = store.watch({ resource: PODS }, { fieldSelector: fieldIs('status.phase', 'Running') })[Symbol.asyncIterator]();
        const a = await store.create(PODS, pod('a'));
        const a2 = await store.update(PODS, { ...a, status: { phase: 'Running' } });
        await store.update(PODS, { ...a2, status: { phase: 'Succeeded' } });
        expect((await take(it, 2)).map((e) => `${e.type} ${(e.object.status as { phase: string }).phase}`)).toEqual([
          'ADDED Running',
          'DELETED Running',
        ]);
        await it.return?.();
      });

      it('ends on break, on abort and on close, and writes go on afterwards', async () => {
        const store = await fresh();
        await store.create(PODS, pod('a'));
        let count = 0;
        for await (const _ of store.watch({ resource: PODS })) {
          count++;
          break;
        }
        expect(count).toBe(1);

        const controller = new AbortController();
        const aborted = store.watch({ resource: PODS }, { signal: controller.signal, resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
        const pending = aborted.next();
        controller.abort();
        expect(await pending).toEqual({ done: true, value: undefined });

        const preAborted = store.watch({ resource: PODS }, { signal: AbortSignal.abort() })[Symbol.asyncIterator]();
        expect((await preAborted.next()).done).toBe(true);

        await store.create(PODS, pod('b'));
        const closing = store.watch({ resource: PODS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
        const waiting = closing.next();
        await store.close();
        expect((await waiting).done).toBe(true);
      });

      it('gives each watcher its own queue: an idle watcher blocks neither writers nor others', async () => {
        const store = await fresh();
        const idle = store.watch({ resource: PODS })[Symbol.asyncIterator]();
        const busy = store.watch({ resource: PODS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
        const writes = [];
        for (let i = 0; i < 200; i++) writes.push(store.create(PODS, pod(`p${i}`)));
        await Promise.all(writes);
        const events = await take(busy, 200);
        expect(events.map((e) => e.object.metadata.name)).toEqual(Array.from({ length: 200 }, (_, i) => `p${i}`));
        const idleEvents = await take(idle, 200);
        expect(idleEvents).toHaveLength(200);
        await idle.return?.();
        await busy.return?.();
      });

      it('sends BOOKMARK events with the current resourceVersion when asked', async () => {
        const clock = new FakeClock();
        const store = await fresh({ clock });
        const it = store.watch({ resource: PODS }, { bookmarkIntervalMs: 1000, resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
        await store.create(PODS, pod('a'));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'x' } });
        expect((await take(it, 1))[0].type).toBe('ADDED');
        await clock.advance(1000);
        const [mark] = await take(it, 1);
        expect(mark.type).toBe('BOOKMARK');
        expect(mark.object.metadata.resourceVersion).toBe(await store.currentResourceVersion());
        await clock.advance(1000);
        expect((await take(it, 1))[0].type).toBe('BOOKMARK');
        await it.return?.();
      });
    });

    it('rejects operations after close', async () => {
      const store = await fresh();
      await store.close();
      await expectReason(store.create(PODS, pod('a')), 'ServiceUnavailable');
      await expectReason(store.list({ resource: PODS }), 'ServiceUnavailable');
    });
  });
}
