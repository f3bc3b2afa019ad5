/**
 * ObjectStore conformance cases of paged lists (limit and continue), as the Kubernetes API server
 * pages: every page is read at the first page's resourceVersion, so the pages are one snapshot.
 */
import { expect } from 'vitest';
import type { KubeObject } from '../../model/types.js';
import type { ConformanceCases } from './cases.js';
import { PODS, expectReason, labelIs, names, pod, type FreshStore } from './object-store-helpers.js';
import type { ObjectStore } from '../../store/types.js';

/** Every page of a list of `PODS` with `limit`, following continue tokens (at most 100 pages). */
async function allPages(store: ObjectStore, limit: number, options: Parameters<ObjectStore['list']>[1] = {}) {
  const pages = [await store.list({ resource: PODS }, { ...options, limit })];
  while (pages[pages.length - 1].continue && pages.length < 100) {
    pages.push(await store.list({ resource: PODS }, { ...options, limit, continue: pages[pages.length - 1].continue }));
  }
  return pages;
}

/** Registers the pagination cases; `fresh` makes a store the suite closes after each case. */
export function objectStorePagingCases(fresh: FreshStore, cases: ConformanceCases): void {
  cases.group('pagination', (cases) => {
    cases.case("pages through a list with limit and continue, in list order, every page at the first one's resourceVersion", async () => {
      const store = await fresh();
      for (const [ns, n] of [
        ['b', 'z'],
        ['a', 'y'],
        ['b', 'a'],
        ['a-b', 'c'],
        ['a', 'b'],
        ['c', 'm'],
        ['a', 'a-1'],
      ])
        await store.create(PODS, pod(n, ns));
      const full = await store.list({ resource: PODS });
      expect(full.continue).toBeFalsy();
      expect(names(full.items)).toEqual(['a-b/c', 'a/a-1', 'a/b', 'a/y', 'b/a', 'b/z', 'c/m']);
      const pages = await allPages(store, 3);
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
      expect(pages.map((p) => p.remainingItemCount)).toEqual([4, 1, undefined]);
      expect(pages[2].continue).toBeFalsy();
      expect(pages.flatMap((p) => names(p.items))).toEqual(names(full.items));
      expect(new Set(pages.map((p) => p.resourceVersion))).toEqual(new Set([full.resourceVersion]));
      const ns = await store.list({ resource: PODS, namespace: 'a' }, { limit: 2 });
      expect(names(ns.items)).toEqual(['a/a-1', 'a/b']);
      const rest = await store.list({ resource: PODS, namespace: 'a' }, { limit: 2, continue: ns.continue });
      expect(names(rest.items)).toEqual(['a/y']);
      expect(rest.continue).toBeFalsy();
    });

    cases.case('reads a continued list as of its first page: later creates, updates and deletes do not show', async () => {
      const store = await fresh();
      const made: KubeObject[] = [];
      for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) made.push(await store.create(PODS, pod(n, 'default', { labels: { v: '1' } })));
      const first = await store.list({ resource: PODS }, { limit: 2 });
      expect(names(first.items)).toEqual(['default/p1', 'default/p2']);
      await store.create(PODS, pod('p6'));
      await store.create(PODS, pod('p0'));
      await store.delete({ resource: PODS, namespace: 'default', name: 'p3' });
      await store.update(PODS, { ...made[3], metadata: { ...made[3].metadata, labels: { v: '2' } } });
      await store.delete({ resource: PODS, namespace: 'default', name: 'p5' });
      await store.create(PODS, pod('p5', 'default', { labels: { v: 'new' } }));
      const second = await store.list({ resource: PODS }, { limit: 10, continue: first.continue });
      expect(second.resourceVersion).toBe(first.resourceVersion);
      expect(second.items).toEqual(made.slice(2));
      expect(second.continue).toBeFalsy();
      const now = await store.list({ resource: PODS });
      expect(names(now.items)).toEqual(['default/p0', 'default/p1', 'default/p2', 'default/p4', 'default/p5', 'default/p6']);
    });

    cases.case('counts the limit after the selectors, and gives remainingItemCount only without them', async () => {
      const store = await fresh();
      for (let i = 0; i < 8; i++) await store.create(PODS, pod(`p${i}`, 'default', { labels: { app: i % 2 === 0 ? 'web' : 'db' } }));
      const pages = await allPages(store, 2, { labelSelector: labelIs('app', 'web') });
      expect(pages.map((p) => names(p.items))).toEqual([
        ['default/p0', 'default/p2'],
        ['default/p4', 'default/p6'],
      ]);
      expect(pages.every((p) => p.remainingItemCount === undefined)).toBe(true);
      const exact = await store.list({ resource: PODS }, { limit: 8 });
      expect(exact.items).toHaveLength(8);
      expect(exact.continue).toBeFalsy();
    });

    cases.case('lists everything with limit 0; a bad limit or continue token fails BadRequest', async () => {
      const store = await fresh();
      for (let i = 0; i < 3; i++) await store.create(PODS, pod(`p${i}`));
      const all = await store.list({ resource: PODS }, { limit: 0 });
      expect(all.items).toHaveLength(3);
      expect(all.continue).toBeFalsy();
      await expectReason(store.list({ resource: PODS }, { limit: -1 }), 'BadRequest', /limit/);
      await expectReason(store.list({ resource: PODS }, { limit: 1.5 }), 'BadRequest', /limit/);
      await expectReason(store.list({ resource: PODS }, { continue: 'not-a-token' }), 'BadRequest', /continue/);
      const page = await store.list({ resource: PODS }, { limit: 1 });
      await expectReason(store.list({ resource: 'core/configmaps' }, { limit: 1, continue: page.continue }), 'BadRequest', /continue/);
    });

    cases.case('fails Expired (410) for a continue token older than the kept history', async () => {
      const store = await fresh({ historySize: 5 });
      for (let i = 0; i < 3; i++) await store.create(PODS, pod(`p${i}`));
      const page = await store.list({ resource: PODS }, { limit: 1 });
      for (let i = 0; i < 12; i++) await store.create(PODS, pod(`q${i}`));
      const err = await expectReason(store.list({ resource: PODS }, { limit: 1, continue: page.continue }), 'Expired', /continue/);
      expect(err.code).toBe(410);
      // As kube-apiserver: the Status carries a token that reads the rest (after p0) at the current version.
      const token = err.status.metadata?.continue;
      expect(token).toBeTruthy();
      await store.delete({ resource: PODS, namespace: page.items[0].metadata.namespace, name: 'p2' });
      const rest = await store.list({ resource: PODS }, { limit: 100, continue: token });
      expect(names(rest.items)).toEqual(names((await store.list({ resource: PODS })).items).filter((n) => !n.endsWith('/p0')));
      expect(rest.items).toHaveLength(13);
      expect(Number(rest.resourceVersion)).toBeGreaterThan(Number(page.resourceVersion));
      const fresh2 = await store.list({ resource: PODS }, { limit: 100 });
      expect(fresh2.items).toHaveLength(14);
    });
  });
}
