/**
 * ObjectStore conformance cases of the bounded watch queue: a watcher that stops reading is ended
 * with Expired once it is `maxWatchQueue` events behind (and relists), as the API server ends an
 * unresponsive watcher; one that reads is never ended for keeping up slowly.
 */
import { expect } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import type { ConformanceCases } from './cases.js';
import { PODS, expectReason, pod, take, type FreshStore } from './object-store-helpers.js';

/** Registers the slow-watcher cases; `fresh` makes a store the suite closes after each case. */
export function objectStoreSlowWatcherCases(fresh: FreshStore, cases: ConformanceCases): void {
  cases.group('slow watchers', (cases) => {
    cases.case('ends a watcher that does not read, once maxWatchQueue events behind, with Expired; writers and readers go on', async () => {
      const store = await fresh({ clock: new FakeClock(), maxWatchQueue: 5 });
      const from = await store.currentResourceVersion();
      const idle = store.watch({ resource: PODS }, { resourceVersion: from })[Symbol.asyncIterator]();
      const reader = store.watch({ resource: PODS }, { resourceVersion: from })[Symbol.asyncIterator]();
      for (let i = 0; i < 20; i++) {
        const created = await store.create(PODS, pod(`p${i}`));
        // Once the reader has the event, the idle watcher has been offered it too.
        expect((await take(reader, 1))[0].object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      }
      const err = await expectReason(idle.next(), 'Expired');
      expect(err.code).toBe(410);
      expect((await idle.next()).done).toBe(true);
      // The relist the watcher owes: nothing was lost, and a watch from the list's version follows on.
      const list = await store.list({ resource: PODS });
      expect(list.items).toHaveLength(20);
      const again = store.watch({ resource: PODS }, { resourceVersion: list.resourceVersion })[Symbol.asyncIterator]();
      const last = await store.create(PODS, pod('after'));
      expect((await take(again, 1))[0].object.metadata.resourceVersion).toBe(last.metadata.resourceVersion);
      expect((await take(reader, 1))[0].object.metadata.name).toBe('after');
      await again.return?.();
      await reader.return?.();
    });

    cases.case('keeps a watcher that is reading, even when a burst of writes puts it more than maxWatchQueue behind', async () => {
      const store = await fresh({ clock: new FakeClock(), maxWatchQueue: 5 });
      const it = store.watch({ resource: PODS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
      const first = it.next(); // reading: it asked for an event
      const writes = [];
      for (let i = 0; i < 20; i++) writes.push(store.create(PODS, pod(`b${i}`)));
      await Promise.all(writes);
      const events = [(await first).value, ...(await take(it, 19))];
      expect(events.map((e) => e?.object.metadata.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`).sort());
      for (let i = 0; i < 30; i++) {
        await store.create(PODS, pod(`k${i}`));
        expect((await take(it, 1))[0].object.metadata.name).toBe(`k${i}`);
      }
      await it.return?.();
    });
  });
}
