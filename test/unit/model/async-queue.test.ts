import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsyncQueue } from '../../../src/model/async-queue.js';

async function drain<T>(q: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of q) out.push(v);
  return out;
}

describe('AsyncQueue', () => {
  it('hands out every value pushed before end, in order, whether read early or late', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.nat({ max: 10 }), async (values, readsFirst) => {
        const q = new AsyncQueue<number>();
        const early = Array.from({ length: Math.min(readsFirst, values.length) }, () => q.next());
        for (const v of values) q.push(v);
        q.end();
        q.push(99);
        const got = [...(await Promise.all(early)).map((r) => r.value as number), ...(await drain(q))];
        expect(got).toEqual(values);
      }),
    );
  });

  it('close drops what is buffered and wakes a pending next; return does the same', async () => {
    const q = new AsyncQueue<number>();
    const pending = q.next();
    q.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    const r = new AsyncQueue<number>();
    r.push(1);
    r.push(2);
    for await (const v of r) {
      expect(v).toBe(1);
      break;
    }
    expect(r.ended).toBe(true);
    expect(await r.next()).toEqual({ done: true, value: undefined });
  });

  it('fail rejects once after the buffered values, then is done', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.fail(new Error('boom'));
    expect(await q.next()).toEqual({ done: false, value: 1 });
    await expect(q.next()).rejects.toThrow('boom');
    expect(await q.next()).toEqual({ done: true, value: undefined });
    const waiting = new AsyncQueue<number>();
    const pending = waiting.next();
    waiting.fail(new Error('late'));
    await expect(pending).rejects.toThrow('late');
  });

  it('ends on abort after the buffered values, and runs onClose once', async () => {
    const ac = new AbortController();
    const q = new AsyncQueue<number>(ac.signal);
    let closed = 0;
    q.onClose(() => closed++);
    q.push(1);
    ac.abort();
    q.end();
    expect(closed).toBe(1);
    expect(await drain(q)).toEqual([1]);
    const aborted = new AsyncQueue<number>(AbortSignal.abort());
    aborted.onClose(() => closed++);
    expect(closed).toBe(2);
    expect(await drain(aborted)).toEqual([]);
  });

  it('keeps order across buffer compaction', async () => {
    const q = new AsyncQueue<number>();
    const n = 5000;
    for (let i = 0; i < n; i++) q.push(i);
    const got: number[] = [];
    for (let i = 0; i < n / 2; i++) got.push((await q.next()).value as number);
    for (let i = n; i < n + 100; i++) q.push(i);
    q.end();
    got.push(...(await drain(q)));
    expect(got).toEqual(Array.from({ length: n + 100 }, (_, i) => i));
    expect(q.size).toBe(0);
  });

  it('takeBuffered hands out what is buffered, in order, mixed with next(), and nothing once ended or failed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant('push'), fc.constant('next'), fc.nat({ max: 5 }))), async (ops) => {
        const q = new AsyncQueue<number>();
        const got: Promise<number>[] = [];
        let pushed = 0;
        for (const op of ops) {
          if (op === 'push') q.push(pushed++);
          else if (op === 'next') got.push(q.next().then((r) => r.value as number));
          else for (const v of q.takeBuffered(op === 0 ? undefined : op)) got.push(Promise.resolve(v));
        }
        q.end();
        const rest = await drain(q);
        // Pending next() calls were answered first, in order; the rest came out in push order too.
        const answered = (await Promise.all(got)).filter((v) => v !== undefined);
        const values = [...answered, ...rest].sort((a, b) => a - b);
        expect(values).toEqual(Array.from({ length: pushed }, (_, i) => i));
      }),
    );
    const q = new AsyncQueue<number>();
    q.push(1);
    q.push(2);
    q.push(3);
    expect(q.takeBuffered(2)).toEqual([1, 2]);
    expect(q.size).toBe(1);
    q.close();
    expect(q.takeBuffered()).toEqual([]);
  });
});
