/**
 * The recorder as client-go's: record() returns before anything is written, one writer drains a
 * bounded queue in order, repeats are patches, a refused write is dropped and never thrown, a
 * failed one is retried on the clock, and cluster.settled() waits for the queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { ApiEventRecorder } from '../../../src/client/event-recorder.js';
import type { ResourceClient } from '../../../src/client/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { Event, KubeObject } from '../../../src/model/types.js';
import { startMockCluster, type MockCluster } from '../../../src/testing.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };

/** A fake Event client: records calls, fails as told. */
function sink(fail: (op: string, n: number) => Error | undefined = () => undefined) {
  const stored = new Map<string, Event>();
  const calls: string[] = [];
  let n = 0;
  let rv = 0;
  const client = {
    async create(e: Event) {
      calls.push(`create ${e.message}`);
      const err = fail('create', n++);
      if (err) throw err;
      const out = { ...e, metadata: { ...e.metadata, resourceVersion: String(++rv) } };
      stored.set(e.metadata.name!, out);
      return out;
    },
    async patch(name: string, p: Partial<Event>) {
      calls.push(`patch ${name} count=${p.count}`);
      const err = fail('patch', n++);
      if (err) throw err;
      const prev = stored.get(name);
      if (!prev) throw new TugboatError('NotFound', `events "${name}" not found`);
      const out = { ...prev, ...p, metadata: { ...prev.metadata, resourceVersion: String(++rv) } } as Event;
      stored.set(name, out);
      return out;
    },
  } as unknown as ResourceClient<Event>;
  return { client, stored, calls };
}

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

describe('ApiEventRecorder', () => {
  it('record() returns before the write; the writer creates, then patches a repeat', async () => {
    const clock = new FakeClock();
    const s = sink();
    const r = new ApiEventRecorder(() => s.client, clock);
    await r.record(rs, 'Normal', 'Scaled', 'up');
    expect(s.calls).toEqual([]);
    expect(r.isIdle()).toBe(false);
    r.record(rs, 'Normal', 'Scaled', 'up');
    await r.flushed();
    expect(r.isIdle()).toBe(true);
    const [name] = [...s.stored.keys()];
    expect(s.calls).toEqual(['create up', `patch ${name} count=2`]);
    expect(s.stored.get(name)?.count).toBe(2);
  });

  it('a repeat of an Event deleted meanwhile is created again', async () => {
    const s = sink();
    const r = new ApiEventRecorder(() => s.client, new FakeClock());
    r.record(rs, 'Normal', 'Scaled', 'up');
    await r.flushed();
    s.stored.clear();
    r.record(rs, 'Normal', 'Scaled', 'up');
    await r.flushed();
    expect(s.calls.map((c) => c.split(' ')[0])).toEqual(['create', 'patch', 'create']);
    expect([...s.stored.values()][0].count).toBe(2);
  });

  it('a write the server refuses is dropped, not retried, and the next Events are still written', async () => {
    const s = sink((_op, n) => (n === 0 ? TugboatError.forbidden('no') : undefined));
    const r = new ApiEventRecorder(() => s.client, new FakeClock());
    await expect(r.record(rs, 'Normal', 'A', 'a')).resolves.toBeUndefined();
    r.record(rs, 'Normal', 'B', 'b');
    await r.flushed();
    expect(s.calls).toEqual(['create a', 'create b']);
    expect([...s.stored.values()].map((e) => e.reason)).toEqual(['B']);
  });

  it('a failed write (server unreachable) is retried on the clock, 10 s apart, at most 12 times', async () => {
    const clock = new FakeClock();
    const s = sink(() => new Error('connect ECONNREFUSED'));
    const r = new ApiEventRecorder(() => s.client, clock);
    r.record(rs, 'Warning', 'Failed', 'x');
    await r.flushed();
    expect(s.calls).toHaveLength(1);
    // Sleeping before a retry counts as idle (it waits on the clock).
    expect(r.isIdle()).toBe(true);
    await clock.advance(10_000); // the first delay is randomized within 10 s
    await r.flushed();
    expect(s.calls).toHaveLength(2);
    for (let i = 0; i < 20; i++) {
      await clock.advance(10_000);
      await r.flushed();
    }
    expect(s.calls).toHaveLength(12);
  });

  it('a full queue drops new Events (counted), without throwing', async () => {
    const s = sink();
    const r = new ApiEventRecorder(() => s.client, new FakeClock(), { maxQueued: 3 });
    for (let i = 0; i < 5; i++) r.record(rs, 'Normal', `R${i}`, 'm');
    expect(r.dropped).toBe(2);
    await r.flushed();
    expect(s.calls).toEqual(['create m', 'create m', 'create m']);
  });

  it('cluster.settled() waits until the queued Events are written (even slow writes); repeats are one Event with a count', async () => {
    // Event writes that take 30 ms of wall time: without the recorder among the parts settled()
    // checks, the cluster looks quiet (no store write for a few turns) before they land.
    const store = new MemoryStore({ clock: new FakeClock() });
    const create = store.create.bind(store);
    store.create = async (resource, obj) => {
      if (obj.kind === 'Event') await new Promise((r) => setTimeout(r, 30));
      return create(resource, obj);
    };
    m = await startMockCluster({ nodes: 0, cluster: { store } });
    const cm = await m.cluster.configMaps('default').create({ metadata: { name: 'c' } });
    for (let i = 0; i < 3; i++) m.cluster.events.record(cm, 'Normal', 'Touched', 'touched', 'tester');
    expect(m.cluster.events.isIdle()).toBe(false);
    await m.cluster.settled();
    expect(m.cluster.events.isIdle()).toBe(true);
    const stored = (await m.cluster.client<Event>('v1', 'Event', 'default').list()).items.filter((e) => e.reason === 'Touched');
    expect(stored.map((e) => [e.count, e.message, e.source?.component])).toEqual([[3, 'touched', 'tester']]);
  });
});
