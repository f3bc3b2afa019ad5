/**
 * ObjectStore conformance cases of watch: replay, Expired, selector transitions, ending,
 * per-watcher queues and bookmarks.
 */
import { expect } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import type { ConformanceCases } from './cases.js';
import { PODS, expectReason, fieldIs, labelIs, pod, summary, take, type FreshStore } from './object-store-helpers.js';

/** Registers the watch cases; `fresh` makes a store the suite closes after each case. */
export function objectStoreWatchCases(fresh: FreshStore, cases: ConformanceCases): void {
  cases.group('watch', (cases) => {
    cases.case('without a resourceVersion starts with ADDED for current objects, then follows changes', async () => {
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

    cases.case('with a resourceVersion replays every later change in order, then follows live ones', async () => {
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

    cases.case("DELETED carries the last state with the deletion's new resourceVersion", async () => {
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

    cases.case('fails Expired (410) for a resourceVersion older than the kept history', async () => {
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

    cases.case('fails BadRequest for a malformed resourceVersion', async () => {
      const store = await fresh();
      const it = store.watch({ resource: PODS }, { resourceVersion: 'abc' })[Symbol.asyncIterator]();
      await expectReason(it.next(), 'BadRequest');
    });

    cases.case('with a resourceVersion newer than current delivers only the changes after it', async () => {
      const store = await fresh();
      const now = Number(await store.currentResourceVersion());
      const it = store.watch({ resource: PODS }, { resourceVersion: String(now + 2) })[Symbol.asyncIterator]();
      await store.create(PODS, pod('skip1'));
      await store.create(PODS, pod('skip2'));
      const seen = await store.create(PODS, pod('seen'));
      expect(summary(await take(it, 1))).toEqual([`ADDED seen ${seen.metadata.resourceVersion}`]);
      await it.return?.();
    });

    cases.case('scopes to one namespace and one resource', async () => {
      const store = await fresh();
      const it = store.watch({ resource: PODS, namespace: 'mine' })[Symbol.asyncIterator]();
      await store.create(PODS, pod('other', 'theirs'));
      await store.create('core/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'mine' } });
      await store.create(PODS, pod('own', 'mine'));
      expect((await take(it, 1)).map((e) => e.object.metadata.name)).toEqual(['own']);
      await it.return?.();
    });

    cases.case('turns selector transitions into ADDED and DELETED, as Kubernetes does', async () => {
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

    cases.case('applies field selectors to watch events', async () => {
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

    cases.case('ends on break, on abort and on close, and writes go on afterwards', async () => {
      const store = await fresh();
      await store.create(PODS, pod('a'));
      let count = 0;
      for await (const _ of store.watch({ resource: PODS })) {
        count++;
        break;
      }
      expect(count).toBe(1);

      const controller = new AbortController();
      const aborted = store
        .watch({ resource: PODS }, { signal: controller.signal, resourceVersion: await store.currentResourceVersion() })
        [Symbol.asyncIterator]();
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

    cases.case('gives each watcher its own queue: an idle watcher blocks neither writers nor others', async () => {
      const store = await fresh();
      const idle = store.watch({ resource: PODS })[Symbol.asyncIterator]();
      const busy = store.watch({ resource: PODS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
      const writes = [];
      for (let i = 0; i < 200; i++) writes.push(store.create(PODS, pod(`p${i}`)));
      const created = await Promise.all(writes);
      const events = await take(busy, 200);
      // Concurrent writes commit in an order the store picks (etcd's, as Kubernetes'): events follow resourceVersion order.
      const byVersion = created
        .map((o) => ({ name: o.metadata.name, rv: Number(o.metadata.resourceVersion) }))
        .sort((a, b) => a.rv - b.rv)
        .map((o) => `${o.name} ${o.rv}`);
      expect(events.map((e) => `${e.object.metadata.name} ${e.object.metadata.resourceVersion}`)).toEqual(byVersion);
      const idleEvents = await take(idle, 200);
      expect(idleEvents).toHaveLength(200);
      await idle.return?.();
      await busy.return?.();
    });

    cases.case('sends BOOKMARK events with the current resourceVersion when asked', async () => {
      const clock = new FakeClock();
      const store = await fresh({ clock });
      const it = store
        .watch({ resource: PODS }, { bookmarkIntervalMs: 1000, resourceVersion: await store.currentResourceVersion() })
        [Symbol.asyncIterator]();
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
}
