/**
 * fieldDiff against the definition it shortens: every leaf path of both sides (fieldSetOf), its
 * value read back (valueAt) and compared as JSON. Random objects with maps, merge-keyed lists
 * (containers by name, conditions by type), atomic lists and empty objects; the second side shares
 * subtrees of the first by reference, as a write of a frozen stored object does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldDiff } from '../../../src/api/field-diff.js';
import { fieldSetOf, splitPath, valueAt } from '../../../src/api/managed-fields.js';

function leaves(part: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const joined of fieldSetOf(part)) {
    const path = splitPath(joined);
    out.set(joined, path[path.length - 1] === '.' ? '' : JSON.stringify(valueAt(part, path).value));
  }
  return out;
}

function reference(before: Record<string, unknown>, after: Record<string, unknown>) {
  const was = leaves(before);
  const now = leaves(after);
  return {
    changed: [...now]
      .filter(([p, v]) => was.get(p) !== v)
      .map(([p]) => p)
      .sort(),
    removed: [...was.keys()].filter((p) => !now.has(p)).sort(),
  };
}

const scalar = fc.oneof(fc.constantFrom('a', 'b', ''), fc.integer({ min: 0, max: 3 }), fc.boolean());
const key = fc.constantFrom('x', 'y', 'z', 'image');
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.dictionary(key, tie('node'), { maxKeys: 3 }),
    fc.array(scalar, { maxLength: 3 }),
    fc.uniqueArray(fc.record({ name: fc.constantFrom('web', 'side', 'init'), image: scalar }), { selector: (c) => c.name, maxLength: 3 }),
    fc.uniqueArray(fc.record({ type: fc.constantFrom('Ready', 'Available'), status: scalar }), { selector: (c) => c.type, maxLength: 2 }),
  ),
})).node;
const topKey = fc.constantFrom('spec', 'status', 'containers', 'conditions', 'data', 'x');
const obj = fc.dictionary(topKey, value, { maxKeys: 4 });

describe('fieldDiff', () => {
  it('finds the same changed and removed leaves as comparing every leaf of both sides', () => {
    fc.assert(
      fc.property(obj, obj, fc.array(topKey, { maxLength: 3 }), (before, other, shared) => {
        // The second side keeps some of the first's subtrees by reference.
        const after: Record<string, unknown> = { ...other };
        for (const k of shared) if (k in before) after[k] = before[k];
        const got = fieldDiff(before, after);
        expect({ changed: [...got.changed].sort(), removed: [...got.removed].sort() }).toEqual(reference(before, after));
      }),
      { numRuns: 2000 },
    );
  });

  it('skips a subtree both sides share, and names a changed leaf and a removed one', () => {
    const spec = { containers: [{ name: 'web', image: 'a' }] };
    const diff = fieldDiff({ spec, status: { phase: 'Pending', ip: '1' } }, { spec, status: { phase: 'Running' } });
    expect([...diff.changed]).toEqual(['f:status\u0000f:phase']);
    expect([...diff.removed]).toEqual(['f:status\u0000f:ip']);
  });
});
