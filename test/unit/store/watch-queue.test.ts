import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { Cluster } from '../../../src/cluster/cluster.js';
import { listWatch } from '../../../src/client/list-watch.js';
import { rejection } from '../../support/rejection.js';
import type { KubeObject } from '../../../src/model/types.js';

const CMS = 'core/configmaps';
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

describe('a watcher that never reads holds a bounded queue', () => {
  it('ends a watcher more than maxWatchQueue events behind with Expired, dropping its queue', async () => {
    const store = new MemoryStore({ clock: new FakeClock(), maxWatchQueue: 100 });
    const it = store.watch({ resource: CMS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
    expect(store.watchCount()).toBe(1);
    for (let i = 0; i < 100; i++) await store.create(CMS, cm(`a${i}`));
    expect(store.watchCount()).toBe(1);
    await store.create(CMS, cm('one-too-many'));
    // Detached from the store at once: nothing more is held for it.
    expect(store.watchCount()).toBe(0);
    for (let i = 0; i < 1000; i++) await store.create(CMS, cm(`b${i}`));
    const err = await rejection(it.next());
    expect(err.reason).toBe('Expired');
    expect(err.message).toMatch(/fell too far behind \(100 events unread/);
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('keeps a reader that keeps up, whatever the number of events', async () => {
    const store = new MemoryStore({ clock: new FakeClock(), maxWatchQueue: 10 });
    const it = store.watch({ resource: CMS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
    for (let i = 0; i < 200; i++) {
      await store.create(CMS, cm(`c${i}`));
      expect((await it.next()).value?.object.metadata.name).toBe(`c${i}`);
    }
    await it.return?.();
  });

  it('lets a watcher that is reading, only slower than a burst, fall 10 times as far behind; one that stops reading is ended', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock, maxWatchQueue: 10 });
    const it = store.watch({ resource: CMS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
    const first = it.next(); // it is reading: asked for an event just now
    for (let i = 0; i < 60; i++) await store.create(CMS, cm(`s${i}`));
    expect(store.watchCount()).toBe(1);
    expect((await first).value?.object.metadata.name).toBe('s0');
    await clock.advance(1_000); // no next() for a second: it stopped reading
    await store.create(CMS, cm('after-a-stall'));
    expect(store.watchCount()).toBe(0);

    const fast = new MemoryStore({ clock, maxWatchQueue: 10 });
    const reader = fast.watch({ resource: CMS }, { resourceVersion: await fast.currentResourceVersion() })[Symbol.asyncIterator]();
    void reader.next(); // takes the first event; the next 100 stay unread
    for (let i = 0; i < 101; i++) await fast.create(CMS, cm(`f${i}`));
    expect(fast.watchCount()).toBe(1);
    await fast.create(CMS, cm('one more than 10 x the bound'));
    expect(fast.watchCount()).toBe(0); // 10 x the bound: ended even while reading
    expect((await rejection(reader.next())).reason).toBe('Expired');
  });

  it('defaults the bound to the history size', async () => {
    const store = new MemoryStore({ clock: new FakeClock(), historySize: 50 });
    const it = store.watch({ resource: CMS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
    for (let i = 0; i < 51; i++) await store.create(CMS, cm(`d${i}`));
    expect((await rejection(it.next())).reason).toBe('Expired');
  });

  it('the list-watch loop turns the Expired end into a relist and misses nothing', async () => {
    const store = new MemoryStore({ maxWatchQueue: 5 }); // the handler blocks while reading: ended at 10 x 5 unread
    const cluster = await Cluster.start({ store, controllers: false, scheduler: false });
    try {
      const abort = new AbortController();
      const known = new Set<string>();
      let syncs = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let blocked = true;
      let handled: () => void = () => {};
      const firstEvent = new Promise<void>((resolve) => (handled = resolve));
      let complete: () => void = () => {};
      const all = new Promise<void>((resolve) => (complete = resolve));
      let synced: () => void = () => {};
      const firstSync = new Promise<void>((resolve) => (synced = resolve));
      const check = () => {
        if (known.size === 101) complete();
      };
      const loop = listWatch(
        cluster.configMaps(),
        {
          onSync(objects) {
            syncs++;
            known.clear();
            for (const o of objects) known.add(o.metadata.name ?? '');
            check();
          },
          async onEvent(event) {
            if (event.type === 'DELETED') known.delete(event.object.metadata.name ?? '');
            else known.add(event.object.metadata.name ?? '');
            check();
            handled();
            if (blocked) await gate; // a slow handler: the watch queue fills behind it
          },
        },
        { signal: abort.signal, onSynced: () => synced() },
      );
      await firstSync;
      await cluster.configMaps().create({ metadata: { name: 'first' } });
      await firstEvent;
      for (let i = 0; i < 100; i++) await cluster.configMaps().create({ metadata: { name: `cm-${i}` } });
      blocked = false;
      release();
      await all;
      expect(known.size).toBe(101);
      expect(syncs).toBeGreaterThanOrEqual(2);
      abort.abort();
      await loop;
    } finally {
      await cluster.stop();
    }
  });

  it('a synchronous reader through the list-watch loop keeps up with a burst of concurrent writers (no relist)', async () => {
    // 50 writers creating 40 objects each, every create several promise turns long: a reader
    // taking one event per turn falls ever further behind them; one that drains what is
    // buffered in its turn stays within the bound (10 x 10 while reading). Without the drain: 14 relists.
    const store = new MemoryStore({ maxWatchQueue: 10 });
    const cluster = await Cluster.start({ store, controllers: false, scheduler: false });
    try {
      const abort = new AbortController();
      const known = new Set<string>();
      let syncs = 0;
      let synced: () => void = () => {};
      const firstSync = new Promise<void>((resolve) => (synced = resolve));
      const loop = listWatch(
        cluster.configMaps(),
        {
          onSync(objects) {
            syncs++;
            for (const o of objects) known.add(o.metadata.name ?? '');
          },
          onEvent(event) {
            known.add(event.object.metadata.name ?? '');
          },
        },
        { signal: abort.signal, onSynced: () => synced() },
      );
      await firstSync;
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; i < 40; i++) await cluster.configMaps().create({ metadata: { name: `burst-${w}-${i}` } });
      };
      await Promise.all(Array.from({ length: 50 }, (_, w) => writer(w)));
      await cluster.configMaps().create({ metadata: { name: 'last' } });
      for (let i = 0; i < 100 && !known.has('last'); i++) await new Promise((r) => setImmediate(r));
      expect(known.size).toBe(2001);
      expect(syncs).toBe(1);
      abort.abort();
      await loop;
    } finally {
      await cluster.stop();
    }
  });
});
