import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { WorkQueue } from '../../../../src/controllers/runtime/work-queue.js';
import { RateLimiter } from '../../../../src/controllers/runtime/rate-limiter.js';

const lenient = { qps: Infinity };

describe('WorkQueue', () => {
  it('deduplicates items added before they are taken', async () => {
    const q = new WorkQueue<string>(new FakeClock(), lenient);
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('hands out an item re-added while processing only after done', async () => {
    const q = new WorkQueue<string>(new FakeClock(), lenient);
    q.add('a');
    const a = await q.get();
    q.add('a');
    expect(q.len()).toBe(0);
    q.done(a!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('wakes a waiting getter and returns undefined after shutdown', async () => {
    const q = new WorkQueue<string>(new FakeClock(), lenient);
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
    const p2 = q.get();
    q.shutDown();
    expect(await p2).toBeUndefined();
    q.add('y');
    expect(q.len()).toBe(0);
  });

  it('whenReady resolves once an item is ready, without taking it, and on shutdown', async () => {
    const q = new WorkQueue<string>(new FakeClock(), lenient);
    let ready = false;
    const p = q.whenReady().then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    q.add('a');
    await p;
    expect(ready).toBe(true);
    expect(q.len()).toBe(1);
    await q.whenReady();
    expect(await q.get()).toBe('a');
    const waiting = q.whenReady();
    q.shutDown();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('adds after a delay on the clock, the earliest delay winning', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>(clock, lenient);
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    expect(q.len()).toBe(0);
    await clock.advance(499);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    await clock.advance(1000);
    expect(q.len()).toBe(1);
  });

  it('backs off exponentially per item and resets on forget', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>(clock, lenient);
    expect(q.numRequeues('a')).toBe(0);
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.numRequeues('a')).toBe(3);
    await clock.advance(4);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1); // the earliest (5 ms) wins
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('doubles from 5 ms and caps at 1000 s', () => {
    const r = new RateLimiter(new FakeClock(), { qps: Infinity });
    const delays = Array.from({ length: 30 }, () => r.when('x'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays[29]).toBe(1_000_000);
    expect(r.when('other')).toBe(5);
  });

  it('applies the overall bucket after the burst', () => {
    const r = new RateLimiter(new FakeClock(), { qps: 10, burst: 2 });
    expect(r.when('a')).toBe(5);
    expect(r.when('b')).toBe(5);
    expect(r.when('c')).toBe(100);
    expect(r.when('d')).toBe(200);
  });
});

type Op = { op: 'add' | 'get' | 'done' | 'forget'; item: number };

describe('WorkQueue properties', () => {
  it('never hands out an item twice at once, loses nothing, and deduplicates', () => {
    const opArb: fc.Arbitrary<Op> = fc.record({
      op: fc.constantFrom('add', 'get', 'done', 'forget'),
      item: fc.integer({ min: 0, max: 4 }),
    }) as fc.Arbitrary<Op>;
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const q = new WorkQueue<string>(new FakeClock(), lenient);
        const processing = new Set<string>();
        const needs = new Set<string>(); // added since last handed out
        for (const { op, item } of ops) {
          const key = `i${item}`;
          if (op === 'add') {
            q.add(key);
            needs.add(key);
          } else if (op === 'get') {
            const got = q.tryGet();
            if (got !== undefined) {
              expect(processing.has(got)).toBe(false);
              expect(needs.has(got)).toBe(true);
              processing.add(got);
              needs.delete(got);
            } else {
              // nothing ready: every needed item is being processed
              for (const n of needs) expect(processing.has(n)).toBe(true);
            }
          } else if (op === 'done') {
            if (processing.has(key)) {
              q.done(key);
              processing.delete(key);
            }
          } else {
            q.forget(key);
          }
          // dedup: ready items are exactly the needed ones not being processed
          const ready = [...needs].filter((n) => !processing.has(n));
          expect(q.len()).toBe(ready.length);
        }
        // drain: every needed item comes out exactly once
        for (const p of [...processing]) q.done(p);
        const out: string[] = [];
        for (let g = q.tryGet(); g !== undefined; g = q.tryGet()) {
          out.push(g);
          q.done(g);
        }
        expect(out.sort()).toEqual([...needs].sort());
      }),
    );
  });
});
