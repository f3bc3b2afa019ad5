/**
 * fieldDiff against the definition it shortens: every leaf path of both sides (fieldSetOf), its
 * value read back (valueAt) and compared as JSON. Random objects with maps, merge-keyed lists
 * (containers by name, conditions by type), atomic lists and empty objects; the second side shares
 * subtrees of the first by reference, as a write of a frozen stored object does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldDiff, fieldsTreeOf } from '../../../src/api/field-diff.js';
import { fieldSetOf, fromFieldsV1, splitPath, toFieldsV1, valueAt, type ManagedFieldsEntry } from '../../../src/api/managed-fields.js';
import { managedFieldsAfterUpdate } from '../../../src/api/managed-fields-update.js';
import type { KubeObject } from '../../../src/model/types.js';

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

describe('fieldsTreeOf', () => {
  it('is the FieldsV1 tree of every leaf, as toFieldsV1 of fieldSetOf makes it', () => {
    fc.assert(
      fc.property(obj, (value) => {
        expect(fieldsTreeOf(value)).toEqual(toFieldsV1(fieldSetOf(value)));
      }),
      { numRuns: 2000 },
    );
  });
});

/** managedFieldsAfterUpdate as first written: every leaf of both sides, every entry through its field set. */
function referenceAfterUpdate(entries: ManagedFieldsEntry[], before: Record<string, unknown>, after: Record<string, unknown>) {
  const { changed, removed } = reference(before, after);
  if (!changed.length && !removed.length) return entries;
  const sets = entries.map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
  let mine = sets.find((s) => s.entry.manager === 'me');
  if (!mine) {
    mine = { entry: { manager: 'me', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() };
    sets.push(mine);
  }
  for (const s of sets) {
    for (const path of removed) s.set.delete(path);
    if (s !== mine) for (const path of changed) s.set.delete(path);
  }
  for (const path of changed) mine.set.add(path);
  return sets.filter((s) => s.set.size > 0).map((s) => [s.entry.manager, toFieldsV1(s.set)]);
}

describe('managedFieldsAfterUpdate', () => {
  it('gives the entries the leaf-by-leaf definition gives, for any earlier owners', () => {
    const asCm = (data: Record<string, unknown>) =>
      ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, ...data }) as KubeObject;
    fc.assert(
      fc.property(obj, obj, obj, fc.array(topKey, { maxLength: 3 }), (before, other, theirs, shared) => {
        const after: Record<string, unknown> = { ...other };
        for (const k of shared) if (k in before) after[k] = before[k];
        const entry = (manager: string, part: Record<string, unknown>): ManagedFieldsEntry => ({
          manager,
          operation: 'Update',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: toFieldsV1(fieldSetOf(part)),
        });
        const owners = [entry('them', theirs), entry('me', before)].filter((e) => Object.keys(e.fieldsV1).length);
        const who = { manager: 'me', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', hasStatus: false };
        const got = managedFieldsAfterUpdate(owners, asCm(before), asCm(after), who);
        const want = referenceAfterUpdate(owners, before, after);
        const byManager = (list: unknown[]) =>
          (list as (ManagedFieldsEntry | [string, unknown])[])
            .map((e) => (Array.isArray(e) ? e : [e.manager, e.fieldsV1]))
            .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        expect(byManager(got)).toEqual(byManager(want));
      }),
      { numRuns: 1500 },
    );
  });
});
