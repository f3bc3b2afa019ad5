import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LabelIndex, requiredLabelPairs } from '../../../src/client/label-index.js';
import { labelSelectorAsSelector, parseSelector } from '../../../src/model/selector.js';
import type { LabelSelector } from '../../../src/model/types.js';

const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'zone'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 3 });
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: labelsArb,
    // valid requirements only (the model's selector rejects values on Exists/DoesNotExist)
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom('app', 'tier', 'zone'),
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({ key: fc.constantFrom('app', 'tier', 'zone'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

describe('requiredLabelPairs', () => {
  it('takes matchLabels, single-value In, and parsed equality requirements', () => {
    expect(
      requiredLabelPairs({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['fe'] },
          { key: 'x', operator: 'In', values: ['1', '2'] },
        ],
      }),
    ).toEqual(['app=web', 'tier=fe']);
    expect(requiredLabelPairs(parseSelector('app=web,tier in (fe),zone!=a,x'))).toEqual(['app=web', 'tier=fe']);
  });
});

describe('LabelIndex', () => {
  it('offers every object a selector matches among its candidates, after any adds, relabels and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(9), fc.option(labelsArb))), selectorArb, (ops, selector) => {
        const index = new LabelIndex();
        const objects = new Map<string, Record<string, string>>();
        for (const [n, labels] of ops) {
          const key = `o${n}`;
          const old = objects.get(key);
          if (old) index.remove(key, old);
          if (labels === null) objects.delete(key);
          else {
            objects.set(key, labels);
            index.add(key, labels);
          }
        }
        const candidates = index.candidates(selector);
        for (const [key, labels] of objects) {
          if (labelSelectorAsSelector(selector).matches(labels) && candidates) expect(candidates.has(key)).toBe(true);
        }
        if (candidates) for (const key of candidates) expect(objects.has(key)).toBe(true);
      }),
    );
  });

  it('narrows to the rarest pair and has no candidates for an unknown pair', () => {
    const index = new LabelIndex();
    for (let i = 0; i < 10; i++) index.add(`o${i}`, { tier: 'web', app: `a${i % 5}` });
    expect([...(index.candidates({ matchLabels: { tier: 'web', app: 'a1' } }) ?? [])].sort()).toEqual(['o1', 'o6']);
    expect(index.candidates({ matchLabels: { app: 'nope' } })?.size).toBe(0);
    expect(index.candidates({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })).toBeUndefined();
  });
});
