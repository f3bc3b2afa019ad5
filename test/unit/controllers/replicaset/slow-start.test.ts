import { describe, expect, it } from 'vitest';
import { slowStartBatch, TurnBudget } from '../../../../src/controllers/replicaset/slow-start.js';

describe('slowStartBatch yields to the event loop', () => {
  it('lets a macrotask run during a long burst of microtask-only calls, with every call made in order', async () => {
    // A fake monotonic clock moved by hand (FakeClock.advance itself yields to the event loop).
    let now = 0;
    const budget = new TurnBudget(() => now, 10);
    const made: number[] = [];
    let callsWhenTurnRan: number | undefined;
    setImmediate(() => {
      callsWhenTurnRan = made.length;
    });
    // Each call "takes" 1 ms of the turn and resolves in microtasks, as an in-process create does.
    const res = await slowStartBatch(
      200,
      1,
      async (i) => {
        made.push(i);
        now += 1;
        await Promise.resolve();
      },
      budget,
    );
    expect(res).toEqual({ successes: 200, skipped: 0 });
    expect(made).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Without the yield the macrotask would run only after all 200 calls.
    expect(callsWhenTurnRan).toBeDefined();
    expect(callsWhenTurnRan).toBeLessThan(200);
  });

  it('does not yield while within the budget', async () => {
    const budget = new TurnBudget(() => 0, 10);
    let turnRan = false;
    setImmediate(() => {
      turnRan = true;
    });
    await slowStartBatch(50, 1, async () => undefined, budget);
    expect(turnRan).toBe(false);
  });

  it('stops at the first failing batch', async () => {
    const budget = new TurnBudget(() => 0, 10);
    let calls = 0;
    const res = await slowStartBatch(
      10,
      1,
      async () => {
        calls++;
        if (calls === 2) throw new Error('boom');
      },
      budget,
    );
    expect(res.successes).toBe(2);
    expect(res.skipped).toBe(7);
    expect(calls).toBe(3);
  });
});
