import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { KubeObject } from '../../../src/model/types.js';

const PODS = 'core/pods';
const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: {} });

describe('MemoryStore (implementation details)', () => {
  it('keeps a handed-over (owned) input itself, frozen, and copies any other input', async () => {
    const store = new MemoryStore();
    const owned = pod('a');
    const kept = await store.create(PODS, owned, { owned: true });
    expect(kept).toBe(owned);
    expect(Object.isFrozen(owned.metadata)).toBe(true);
    const copied = pod('b');
    const stored = await store.create(PODS, copied);
    expect(stored).not.toBe(copied);
    expect(Object.isFrozen(copied)).toBe(false);
    expect(copied.metadata.resourceVersion).toBeUndefined();
  });

  it('attaches a watch only when iterated, and detaches it on break', async () => {
    const store = new MemoryStore();
    await store.create(PODS, pod('a'));
    const iterable = store.watch({ resource: PODS });
    expect(store.watchCount()).toBe(0);
    for await (const _ of iterable) {
      expect(store.watchCount()).toBe(1);
      break;
    }
    expect(store.watchCount()).toBe(0);
  });

  it('leaves no listener on the store, the signal or the clock after abort', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    const controller = new AbortController();
    const it = store.watch({ resource: PODS }, { signal: controller.signal, bookmarkIntervalMs: 500 })[Symbol.asyncIterator]();
    const pending = it.next();
    expect(store.watchCount()).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(1);
    controller.abort();
    expect((await pending).done).toBe(true);
    expect(store.watchCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('detaches every watch on close, including ones with queued events', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    const signal = new AbortController().signal;
    const its = Array.from({ length: 5 }, () =>
      store.watch({ resource: PODS }, { signal, bookmarkIntervalMs: 100 })[Symbol.asyncIterator](),
    );
    await store.create(PODS, pod('a'));
    expect(store.watchCount()).toBe(5);
    await store.close();
    expect(store.watchCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
    for (const it of its) expect((await it.next()).done).toBe(true);
  });

  it('keeps exactly historySize changes: the oldest resumable version is the one before them', async () => {
    const store = new MemoryStore({ historySize: 3 });
    const start = Number(await store.currentResourceVersion());
    for (let i = 0; i < 6; i++) await store.create(PODS, pod(`p${i}`));
    const oldestKept = start + 4;
    const ok = store.watch({ resource: PODS }, { resourceVersion: String(oldestKept - 1) })[Symbol.asyncIterator]();
    expect((await ok.next()).value?.object.metadata.name).toBe('p3');
    await ok.return?.();
    const tooOld = store.watch({ resource: PODS }, { resourceVersion: String(oldestKept - 2) })[Symbol.asyncIterator]();
    const err = await tooOld.next().catch((e: unknown) => e);
    expect(TugboatError.is(err, 'Expired')).toBe(true);
    expect((err as Error).message).toBe(`too old resource version: ${oldestKept - 2} (${oldestKept})`);
    expect(store.watchCount()).toBe(0);
  });

  it('shares the unchanged parts of an update with the stored version, and copies the changed ones', async () => {
    const store = new MemoryStore();
    const first = await store.create(PODS, {
      ...pod('a'),
      spec: { containers: [{ name: 'c', image: 'i' }] },
      status: { phase: 'Pending' },
    });
    const input = JSON.parse(JSON.stringify({ ...first, status: { phase: 'Running' } })) as KubeObject;
    const second = await store.update(PODS, input);
    expect(second.spec).toBe(first.spec);
    expect(second.status).toEqual({ phase: 'Running' });
    expect(second.status).not.toBe(input.status);
    expect(Object.isFrozen(second.status)).toBe(true);
    expect(second.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
    expect(first.metadata.resourceVersion).toBe(input.metadata.resourceVersion);
  });

  it('retries generateName on a collision', async () => {
    const store = new MemoryStore();
    await store.create(PODS, pod('web-bbbbb'));
    let calls = 0;
    const random = vi.spyOn(Math, 'random').mockImplementation(() => (calls++ < 5 ? 0 : 0.5));
    try {
      const obj = pod('');
      obj.metadata = { ...obj.metadata, generateName: 'web-' };
      const created = await store.create(PODS, obj);
      expect(created.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(created.metadata.name).not.toBe('web-bbbbb');
      expect(calls).toBe(10);
    } finally {
      random.mockRestore();
    }
  });

  it('rejects a bad historySize', () => {
    expect(() => new MemoryStore({ historySize: 0 })).toThrow(TugboatError);
  });
});
