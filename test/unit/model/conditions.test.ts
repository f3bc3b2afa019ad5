import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getCondition, removeCondition, setCondition, transitioned, type Condition } from '../../../src/model/conditions.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:00:01Z';

const condition = fc.record({
  type: fc.constantFrom('Ready', 'Available', 'Progressing'),
  status: fc.constantFrom('True', 'False', 'Unknown'),
  reason: fc.constantFrom('A', 'B'),
  message: fc.constantFrom('m', 'n'),
});
const list = fc
  .uniqueArray(condition, { selector: (c) => c.type, maxLength: 3 })
  .map((cs) => cs.map((c) => ({ ...c, lastTransitionTime: T0 })));

describe('conditions', () => {
  it('setCondition moves lastTransitionTime exactly when the status changes, in place, one per type', () => {
    fc.assert(
      fc.property(list, condition, fc.boolean(), (before, next, keepSameReason) => {
        const after = setCondition<Condition>(before, next, { now: T1, keepSameReason });
        const old = getCondition(before, next.type);
        const set = getCondition(after, next.type)!;
        expect(after.filter((c) => c.type === next.type)).toHaveLength(1);
        expect(set.lastTransitionTime).toBe(old && old.status === next.status ? T0 : T1);
        expect(set.status).toBe(next.status);
        if (old) expect(after.findIndex((c) => c.type === next.type)).toBe(before.indexOf(old));
        else expect(after.at(-1)).toBe(set);
        // the others are untouched
        expect(after.filter((c) => c.type !== next.type)).toEqual(before.filter((c) => c.type !== next.type));
        const sameReason = old && old.status === next.status && old.reason === next.reason;
        if (keepSameReason && sameReason) expect(after).toBe(before);
        else expect(set.message).toBe(next.message);
      }),
    );
  });

  it('returns the same list when nothing changes, and is idempotent', () => {
    const before: Condition[] = [{ type: 'Ready', status: 'True', reason: 'A', lastTransitionTime: T0 }];
    expect(setCondition(before, { type: 'Ready', status: 'True', reason: 'A' }, { now: T1 })).toBe(before);
    const once = setCondition(before, { type: 'Ready', status: 'False', reason: 'B' }, { now: T1 });
    expect(setCondition(once, { type: 'Ready', status: 'False', reason: 'B' }, { now: '2026-01-02T00:00:00Z' })).toBe(once);
    expect(before[0].status).toBe('True');
  });

  it("stamps a change with the condition's own time when no now is given", () => {
    const out = setCondition([{ type: 'Available', status: 'False', lastTransitionTime: T0 }], {
      type: 'Available',
      status: 'True',
      lastTransitionTime: T1,
    });
    expect(out[0].lastTransitionTime).toBe(T1);
    expect(setCondition(undefined, { type: 'Available', status: 'True' })).toEqual([{ type: 'Available', status: 'True' }]);
  });

  it('transitioned keeps the previous time only when the status is unchanged and the time known', () => {
    expect(
      transitioned<Condition>({ type: 'Ready', status: 'True', lastTransitionTime: T0 }, { type: 'Ready', status: 'True' }, T1)
        .lastTransitionTime,
    ).toBe(T0);
    expect(transitioned<Condition>({ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'True' }, T1).lastTransitionTime).toBe(T1);
    expect(
      transitioned<Condition>({ type: 'Ready', status: 'False', lastTransitionTime: T0 }, { type: 'Ready', status: 'True' }, T1)
        .lastTransitionTime,
    ).toBe(T1);
    expect(transitioned<Condition>(undefined, { type: 'Ready', status: 'True' }, T1).lastTransitionTime).toBe(T1);
  });

  it('removeCondition drops the type and keeps the rest', () => {
    const before = [
      { type: 'A', status: 'True' },
      { type: 'B', status: 'True' },
    ];
    expect(removeCondition(before, 'A')).toEqual([{ type: 'B', status: 'True' }]);
    expect(removeCondition(before, 'C')).toBe(before);
    expect(removeCondition(undefined, 'A')).toEqual([]);
    expect(getCondition(before, 'B')).toBe(before[1]);
    expect(getCondition(null, 'B')).toBeUndefined();
  });
});
