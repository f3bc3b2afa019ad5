import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../../src/api/patch.js';
import { TugboatError } from '../../../src/model/errors.js';

describe('mergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
  ])('%j + %j = %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it('never changes its input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const before = JSON.stringify(target);
        mergePatch(target, patch);
        expect(JSON.stringify(target)).toBe(before);
      }),
    );
  });
});

describe('strategicMergePatch', () => {
  const pod = {
    spec: {
      containers: [
        { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
        { name: 'b', image: 'b:1' },
      ],
    },
  };

  it('merges lists of containers by name and env by name', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] } }) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['a', 'b']);
    expect(out.spec.containers[0].image).toBe('a:1');
    expect(out.spec.containers[0].env).toEqual([
      { name: 'X', value: '1' },
      { name: 'Y', value: '2' },
    ]);
  });

  it('deletes an element with $patch: delete and replaces a list with $patch: replace', () => {
    const del = strategicMergePatch(pod, { spec: { containers: [{ name: 'b', $patch: 'delete' }] } }) as typeof pod;
    expect(del.spec.containers.map((c) => c.name)).toEqual(['a']);
    const rep = strategicMergePatch(pod, { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'c:1' }] } }) as typeof pod;
    expect(rep.spec.containers).toEqual([{ name: 'c', image: 'c:1' }]);
  });

  it('replaces lists without a merge key', () => {
    expect(strategicMergePatch({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3] }, c: 'x' };

  it('applies add, remove, replace, move, copy and test', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'remove', path: '/a/b/0' },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'test', path: '/e~1f', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [9, 2, 3, 4] }, c: 'y', 'e/f': 'y' });
    expect(doc.a.b).toEqual([1, 2, 3]);
  });

  it('fails BadRequest naming the operation that failed', () => {
    const err = (() => {
      try {
        jsonPatch(doc, [
          { op: 'add', path: '/z', value: 1 },
          { op: 'test', path: '/c', value: 'nope' },
        ]);
      } catch (e) {
        return e as TugboatError;
      }
      return undefined;
    })();
    expect(err?.reason).toBe('BadRequest');
    expect(err?.message).toContain('patch[1]');
  });
});
