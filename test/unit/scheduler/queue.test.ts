import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SchedulingQueue } from '../../../src/scheduler/queue.js';
import { makePod } from '../../../src/testing.js';

function manualClock() {
  const c = { t: 0, nowMs: () => c.t };
  return c;
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', () => {
    const clock = manualClock();
    const q = new SchedulingQueue(clock);
    q.add(makePod('low').priority(1).obj());
    clock.t = 1;
    q.add(makePod('high').priority(9).obj());
    q.add(makePod('low2').priority(1).obj());
    expect([q.pop()?.key, q.pop()?.key, q.pop()?.key]).toEqual(['default/high', 'default/low', 'default/low2']);
    expect(q.pop()).toBeUndefined();
  });

  it('backs off 1s doubling to 10s', () => {
    const clock = manualClock();
    const q = new SchedulingQueue(clock);
    expect([1, 2, 3, 4, 5, 6].map((a) => q.backoffDuration(a))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    q.add(makePod('p').obj());
    q.pop();
    q.requeueBackoff('default/p');
    expect(q.locate('default/p')).toBe('backoff');
    clock.t = 999;
    q.flushBackoffCompleted();
    expect(q.locate('default/p')).toBe('backoff');
    clock.t = 1000;
    q.flushBackoffCompleted();
    expect(q.locate('default/p')).toBe('active');
  });

  it('parks unschedulable pods until a cluster event or the periodic flush', () => {
    const clock = manualClock();
    const q = new SchedulingQueue(clock);
    q.add(makePod('a').obj());
    q.add(makePod('b').obj());
    q.pop();
    q.pop();
    q.requeueUnschedulable('default/a');
    q.requeueUnschedulable('default/b');
    expect(q.counts().unschedulable).toBe(2);
    clock.t = 5000;
    q.moveAllToActiveOrBackoff();
    expect(q.counts().active).toBe(2);
    q.pop();
    q.requeueUnschedulable('default/a');
    clock.t = 5000 + 59_999;
    q.flushUnschedulableLeftover();
    expect(q.locate('default/a')).toBe('unschedulable');
    clock.t = 5000 + 60_000;
    q.flushUnschedulableLeftover();
    expect(q.locate('default/a')).toBe('active');
  });

  it('a cluster event during a cycle sends the failed pod to back-off, not to the parking lot', () => {
    const q = new SchedulingQueue(manualClock());
    q.add(makePod('a').obj());
    q.pop();
    q.moveAllToActiveOrBackoff();
    q.requeueUnschedulable('default/a');
    expect(q.locate('default/a')).toBe('backoff');
  });

  it('a pod deleted while in flight is not requeued', () => {
    const q = new SchedulingQueue(manualClock());
    q.add(makePod('a').obj());
    q.pop();
    q.delete('default/a');
    q.requeueUnschedulable('default/a');
    expect(q.locate('default/a')).toBeUndefined();
  });

  type Op =
    | { op: 'add'; pod: number; prio: number }
    | { op: 'delete'; pod: number }
    | { op: 'pop' }
    | { op: 'fail'; backoff: boolean }
    | { op: 'bind' }
    | { op: 'move' }
    | { op: 'tick'; ms: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('add' as const), pod: fc.integer({ min: 0, max: 9 }), prio: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ op: fc.constant('delete' as const), pod: fc.integer({ min: 0, max: 9 }) }),
    fc.constant({ op: 'pop' as const }),
    fc.record({ op: fc.constant('fail' as const), backoff: fc.boolean() }),
    fc.constant({ op: 'bind' as const }),
    fc.constant({ op: 'move' as const }),
    fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 70_000 }) }),
  );

  it('property: no pod lost, none duplicated, pops respect priority', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const clock = manualClock();
        const q = new SchedulingQueue(clock);
        const pending = new Map<string, number>(); // pods that must be held: key -> priority
        const inFlight: string[] = [];
        for (const o of ops) {
          if (o.op === 'add') {
            const pod = makePod(`p${o.pod}`).priority(o.prio).obj();
            q.add(pod);
            pending.set(`default/p${o.pod}`, o.prio);
          } else if (o.op === 'delete') {
            q.delete(`default/p${o.pod}`);
            pending.delete(`default/p${o.pod}`);
            const i = inFlight.indexOf(`default/p${o.pod}`);
            if (i >= 0) inFlight.splice(i, 1);
            q.done(`default/p${o.pod}`);
          } else if (o.op === 'pop') {
            const activeBefore = q
              .entries()
              .filter(([, l]) => l === 'active')
              .map(([k]) => pending.get(k) ?? -1);
            const got = q.pop();
            if (got) {
              expect(got.priority).toBe(Math.max(...activeBefore));
              inFlight.push(got.key);
            } else expect(activeBefore.length).toBe(0);
          } else if (o.op === 'fail') {
            const k = inFlight.shift();
            if (k) o.backoff ? q.requeueBackoff(k) : q.requeueUnschedulable(k);
          } else if (o.op === 'bind') {
            const k = inFlight.shift();
            if (k) {
              q.done(k);
              pending.delete(k);
            }
          } else if (o.op === 'move') q.moveAllToActiveOrBackoff();
          else {
            clock.t += o.ms;
            q.flushBackoffCompleted();
            q.flushUnschedulableLeftover();
          }
          const entries = q.entries();
          const keys = entries.map(([k]) => k);
          expect(new Set(keys).size).toBe(keys.length); // no duplicates
          expect(new Set(keys)).toEqual(new Set(pending.keys())); // nothing lost, nothing extra
        }
        // Eventually every pending pod becomes active again after time and a flush.
        for (const k of [...inFlight]) q.requeueUnschedulable(k);
        clock.t += 120_000;
        q.flushUnschedulableLeftover();
        clock.t += 20_000;
        q.flushBackoffCompleted();
        expect(q.counts().active).toBe(pending.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SchedulingQueue due times', () => {
  it('has nothing due while no pod waits; then the earliest back-off expiry or unschedulable timeout; onWaiting tells each time a pod starts waiting', () => {
    const clock = manualClock();
    let told = 0;
    const q = new SchedulingQueue(clock, { onWaiting: () => told++ });
    expect(q.nextFlushAtMs()).toBeUndefined();
    q.add(makePod('a').obj());
    q.add(makePod('b').obj());
    expect(q.nextFlushAtMs()).toBeUndefined(); // active pods wait on nothing
    expect(told).toBe(0);
    q.pop();
    q.pop();
    clock.t = 100;
    q.requeueUnschedulable('default/a');
    expect(told).toBe(1);
    expect(q.nextFlushAtMs()).toBe(100 + 60_000);
    clock.t = 200;
    q.requeueBackoff('default/b');
    expect(told).toBe(2);
    expect(q.nextFlushAtMs()).toBe(200 + 1000);
    clock.t = 1200;
    q.flushBackoffCompleted();
    expect(q.locate('default/b')).toBe('active');
    expect(q.nextFlushAtMs()).toBe(100 + 60_000);
    q.delete('default/a');
    expect(q.nextFlushAtMs()).toBeUndefined();
  });
});
