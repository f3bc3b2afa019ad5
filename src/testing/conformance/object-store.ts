/**
 * The ObjectStore conformance suite. Every store (memory, sqlite, etcd, yours) runs it:
 * `await runObjectStoreConformance({ name: 'MemoryStore', newStore: (o) => new MemoryStore(o) })`.
 */
import { afterEach, describe, expect } from 'vitest';
import type { ObjectStore } from '../../store/types.js';
import { FakeClock } from '../../clock/fake-clock.js';
import { objectStoreWatchCases } from './object-store-watch.js';
import { objectStorePagingCases } from './object-store-paging.js';
import { objectStoreSlowWatcherCases } from './object-store-slow-watchers.js';
import { ConformanceCases, type SkippedCases } from './cases.js';
import { PODS, expectReason, fieldIs, labelIs, names, pod, take, type ConformanceStoreOptions } from './object-store-helpers.js';

export type { ConformanceStoreOptions } from './object-store-helpers.js';

/** Options of `runObjectStoreConformance`. */
export interface ObjectStoreConformanceOptions {
  /** Shown in the test report: `ObjectStore conformance: <name>`. */
  name: string;
  /** Makes a fresh, empty store for one case (the suite closes it after the case). */
  newStore: (options: ConformanceStoreOptions) => Promise<ObjectStore> | ObjectStore;
  /**
   * Cases this store does not pass yet, with the reason, by name (`'<group> > <title>'`, e.g.
   * `'watch > sends BOOKMARK events ...'`): reported as skipped. Naming a case that does not
   * exist fails the suite.
   */
  skip?: SkippedCases;
}

/** Registers the ObjectStore conformance cases (vitest `describe`/`it`); loaded by `runObjectStoreConformance` inside a vitest run. */
export function registerObjectStoreConformance(options: ObjectStoreConformanceOptions): void {
  const { name, newStore: makeStore } = options;
  describe(`ObjectStore conformance: ${name}`, () => {
    const cases = ConformanceCases.of(options.skip);
    const open: ObjectStore[] = [];
    const fresh = async (options: ConformanceStoreOptions = {}): Promise<ObjectStore> => {
      const store = await makeStore(options);
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    cases.group('create', (cases) => {
      cases.case(
        'stamps the resourceVersion and keeps uid, creationTimestamp and generation as given (the API server owns them)',
        async () => {
          const store = await fresh();
          const input = {
            ...pod('web'),
            metadata: { ...pod('web').metadata, uid: 'u-1', creationTimestamp: '2026-03-04T05:06:07Z', generation: 1 },
          };
          const created = await store.create(PODS, input);
          expect(created.metadata.uid).toBe('u-1');
          expect(created.metadata.creationTimestamp).toBe('2026-03-04T05:06:07Z');
          expect(created.metadata.generation).toBe(1);
          expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
          expect(created.spec).toEqual(pod('web').spec);
          const other = await store.create(PODS, pod('db'));
          expect(Number(other.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
        },
      );

      cases.case('hands out deeply frozen objects, and get returns the stored state', async () => {
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

      cases.case('copies the input: later changes by the caller do not reach the store', async () => {
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

      cases.case('stores a handed-over input (owned) as it stores a copy: stamped, frozen, the same content and errors', async () => {
        const store = await fresh();
        const plain = await store.create(PODS, pod('copied', 'default', { labels: { app: 'web' } }));
        // A handed-over object may share frozen parts of objects the store handed out.
        const input = pod('web', 'default');
        input.metadata = { ...input.metadata, labels: plain.metadata.labels };
        const created = await store.create(PODS, input, { owned: true });
        const got = await store.get({ resource: PODS, namespace: 'default', name: 'web' });
        expect(got).toEqual(created);
        expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(Number(plain.metadata.resourceVersion));
        expect(created.metadata.labels).toEqual({ app: 'web' });
        expect(created.spec).toEqual(pod('web').spec);
        for (const o of [created, got!]) {
          expect(Object.isFrozen(o)).toBe(true);
          expect(Object.isFrozen(o.metadata)).toBe(true);
          expect(Object.isFrozen((o.spec as { containers: unknown[] }).containers[0])).toBe(true);
        }
        const generated = await store.create(
          PODS,
          { ...pod(''), metadata: { generateName: 'gen-', namespace: 'default' } },
          { owned: true },
        );
        expect(generated.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
        await expectReason(store.create(PODS, pod('web'), { owned: true }), 'AlreadyExists', /pods "web" already exists/);
        const taken = pod('other');
        taken.metadata = { ...taken.metadata, resourceVersion: '5' };
        await expectReason(store.create(PODS, taken, { owned: true }), 'BadRequest', /resourceVersion should not be set/);
        expect((await store.list({ resource: PODS })).items.map((p) => p.metadata.name).sort()).toEqual(
          ['copied', generated.metadata.name, 'web'].sort(),
        );
      });

      cases.case('fails AlreadyExists on a taken key, but not across namespaces or resources', async () => {
        const store = await fresh();
        await store.create(PODS, pod('web'));
        await expectReason(store.create(PODS, pod('web')), 'AlreadyExists', /pods "web" already exists/);
        await store.create(PODS, pod('web', 'other'));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' } });
        expect((await store.list({ resource: PODS })).items).toHaveLength(2);
      });

      cases.case('rejects a set resourceVersion with BadRequest and stores nothing', async () => {
        const store = await fresh();
        const before = await store.currentResourceVersion();
        const obj = pod('web');
        obj.metadata = { ...obj.metadata, resourceVersion: '5' };
        await expectReason(store.create(PODS, obj), 'BadRequest', /resourceVersion should not be set on objects to be created/);
        expect(await store.get({ resource: PODS, namespace: 'default', name: 'web' })).toBeUndefined();
        expect(await store.currentResourceVersion()).toBe(before);
      });

      cases.case('requires a name or a generateName', async () => {
        const store = await fresh();
        const err = await expectReason(store.create(PODS, pod('')), 'Invalid');
        expect(err.causes.map((c) => c.field)).toContain('metadata.name');
      });

      cases.case("generateName appends 5 characters of Kubernetes' alphabet", async () => {
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

      cases.case('gives every write the next store-wide resourceVersion', async () => {
        const store = await fresh();
        const start = Number(await store.currentResourceVersion());
        const a = await store.create(PODS, pod('a'));
        const b = await store.create('apps/deployments', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'd', namespace: 'x' },
          spec: {},
        });
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

    cases.group('update', (cases) => {
      cases.case('fails NotFound when the object is absent', async () => {
        const store = await fresh();
        await expectReason(store.update(PODS, pod('ghost')), 'NotFound', /pods "ghost" not found/);
      });

      cases.case('fails Conflict on a stale resourceVersion; without one it updates unconditionally', async () => {
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

      cases.case('stores an update as given but for its resourceVersion; a different uid is a failed precondition', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, { ...pod('web'), metadata: { ...pod('web').metadata, uid: 'u-1', generation: 1 } });
        const v2 = await store.update(PODS, { ...v1, metadata: { ...v1.metadata, generation: 2, labels: { a: 'b' } } });
        expect(v2.metadata.uid).toBe('u-1');
        expect(v2.metadata.generation).toBe(2);
        expect(v2.metadata.labels).toEqual({ a: 'b' });
        await expectReason(store.update(PODS, { ...v2, metadata: { ...v2.metadata, uid: 'other', labels: {} } }), 'Conflict', /UID/);
      });

      cases.case('skips a no-op update: same object, no new resourceVersion, no watch event', async () => {
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

      cases.case('accepts frozen inputs and returns a new frozen object', async () => {
        const store = await fresh();
        const v1 = await store.create(PODS, pod('web'));
        const v2 = await store.update(PODS, Object.freeze({ ...v1, status: { phase: 'Pending' } }));
        expect(Object.isFrozen(v2.status)).toBe(true);
        expect(v1.status).toBeUndefined();
      });
    });

    cases.group('delete', (cases) => {
      cases.case('fails NotFound when the object is absent', async () => {
        const store = await fresh();
        await expectReason(store.delete({ resource: PODS, namespace: 'default', name: 'ghost' }), 'NotFound');
      });

      cases.case('checks uid and resourceVersion preconditions, then removes the object', async () => {
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

    cases.group('list', (cases) => {
      cases.case("returns a resource's objects sorted by namespace then name, with the current resourceVersion", async () => {
        const store = await fresh();
        for (const [ns, n] of [
          ['b', 'z'],
          ['a', 'y'],
          ['b', 'a'],
          ['a', 'b'],
          ['c', 'm'],
        ])
          await store.create(PODS, pod(n, ns));
        await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' } });
        const all = await store.list({ resource: PODS });
        expect(names(all.items)).toEqual(['a/b', 'a/y', 'b/a', 'b/z', 'c/m']);
        expect(all.resourceVersion).toBe(await store.currentResourceVersion());
        expect(names((await store.list({ resource: PODS, namespace: 'b' })).items)).toEqual(['b/a', 'b/z']);
        expect((await store.list({ resource: 'core/nothing' })).items).toEqual([]);
      });

      cases.case('lists cluster-scoped objects', async () => {
        const store = await fresh();
        await store.create('core/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
        await store.create('core/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
        expect((await store.list({ resource: 'core/nodes' })).items.map((o) => o.metadata.name)).toEqual(['n1', 'n2']);
        expect(await store.get({ resource: 'core/nodes', name: 'n1' })).toBeDefined();
      });

      cases.case('filters by label and field selectors', async () => {
        const store = await fresh();
        await store.create(PODS, pod('a', 'default', { labels: { app: 'web' }, status: { phase: 'Running' } }));
        await store.create(PODS, pod('b', 'default', { labels: { app: 'db' }, status: { phase: 'Running' } }));
        await store.create(PODS, pod('c', 'default', { labels: { app: 'web' }, status: { phase: 'Pending' } }));
        await store.create(PODS, pod('d', 'default'));
        const web = await store.list({ resource: PODS }, { labelSelector: labelIs('app', 'web') });
        expect(names(web.items)).toEqual(['default/a', 'default/c']);
        const running = await store.list({ resource: PODS }, { fieldSelector: fieldIs('status.phase', 'Running') });
        expect(names(running.items)).toEqual(['default/a', 'default/b']);
        const both = await store.list(
          { resource: PODS },
          { labelSelector: labelIs('app', 'web'), fieldSelector: fieldIs('status.phase', 'Running') },
        );
        expect(names(both.items)).toEqual(['default/a']);
      });
    });

    objectStorePagingCases(fresh, cases);
    objectStoreWatchCases(fresh, cases);
    objectStoreSlowWatcherCases(fresh, cases);
    cases.checkSkips();

    cases.case('rejects operations after close', async () => {
      const store = await fresh();
      await store.close();
      await expectReason(store.create(PODS, pod('a')), 'ServiceUnavailable');
      await expectReason(store.list({ resource: PODS }), 'ServiceUnavailable');
    });
  });
}
