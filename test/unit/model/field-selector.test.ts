import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  escapeFieldValue,
  fieldRequiresExactMatch,
  fieldSelectorFromSet,
  isFieldSelector,
  parseFieldSelector,
} from '../../../src/model/field-selector.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { KubeObject } from '../../../src/model/types.js';

const pod = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  ...extra,
});

describe('parseFieldSelector', () => {
  it.each([
    ['', []],
    ['metadata.name=web', [['metadata.name', '=', 'web']]],
    ['metadata.name==web', [['metadata.name', '==', 'web']]],
    ['status.phase!=Running', [['status.phase', '!=', 'Running']]],
    [
      'b=1,a=2',
      [
        ['a', '=', '2'],
        ['b', '=', '1'],
      ],
    ],
    [
      'a=1,,b=2',
      [
        ['a', '=', '1'],
        ['b', '=', '2'],
      ],
    ],
    ['a=', [['a', '=', '']]],
    ['a!==b', null],
    ['a=x\\,y', [['a', '=', 'x,y']]],
    ['a=x\\=y', [['a', '=', 'x=y']]],
    ['a=x\\\\y', [['a', '=', 'x\\y']]],
    ['a=x\\!y', [['a', '=', 'x!y']]],
    ['a=x!y', [['a', '=', 'x!y']]],
    ['a!b=c', [['a!b', '=', 'c']]],
  ])('%j', (text, want) => {
    if (want === null) {
      expect(() => parseFieldSelector(text)).toThrow(TugboatError);
      return;
    }
    expect(parseFieldSelector(text).requirements.map((r) => [r.field, r.operator, r.value])).toEqual(want);
  });

  it.each(['a', 'a=b=c', 'a=b,c', 'a=x\\y', 'a=x\\', '=b', 'a=,b', 'a=b,c=d\\', 'metadata.name'])(
    'rejects %j as Invalid naming fieldSelector',
    (text) => {
      try {
        parseFieldSelector(text);
      } catch (err) {
        expect(TugboatError.is(err, 'Invalid')).toBe(true);
        expect((err as TugboatError).causes[0].field).toBe('fieldSelector');
        return;
      }
      throw new Error('expected an error');
    },
  );

  it('prints Kubernetes form: == as =, values escaped', () => {
    expect(parseFieldSelector('b==x\\,y,a!=1').toString()).toBe('a!=1,b=x\\,y');
    expect(parseFieldSelector('').toString()).toBe('');
    expect(parseFieldSelector('').isEmpty()).toBe(true);
  });
});

describe('FieldSelector.matches', () => {
  const p = pod('web', { spec: { nodeName: 'n1', replicas: 3, list: [{ x: 1 }] }, status: { phase: 'Running' } });
  it.each([
    ['metadata.name=web', true],
    ['metadata.name=db', false],
    ['metadata.name!=db', true],
    ['metadata.namespace=default', true],
    ['spec.nodeName=n1', true],
    ['spec.nodeName==n1,status.phase=Running', true],
    ['status.phase!=Running', false],
    ['spec.replicas=3', true],
    ['spec.missing=', true],
    ['spec.missing!=', false],
    ['spec.nodeName.deeper=', true],
    ['spec.list=', false],
    ['spec.list!=', true],
    ['spec.list.0.x=1', true],
    ['metadata.constructor=', true],
    ['', true],
  ])('%j is %s', (text, want) => {
    expect(parseFieldSelector(text).matches(p)).toBe(want);
  });

  it('a cluster-scoped object has namespace ""', () => {
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    expect(parseFieldSelector('metadata.namespace=').matches(node)).toBe(true);
    expect(parseFieldSelector('metadata.namespace!=').matches(node)).toBe(false);
  });
});

describe('helpers', () => {
  it('fieldSelectorFromSet', () => {
    const sel = fieldSelectorFromSet({ 'spec.nodeName': 'n1', 'metadata.name': 'a,b' });
    expect(sel.toString()).toBe('metadata.name=a\\,b,spec.nodeName=n1');
    expect(sel.matches(pod('a,b', { spec: { nodeName: 'n1' } }))).toBe(true);
    expect(sel.matches(pod('a,b'))).toBe(false);
    expect(fieldSelectorFromSet({}).isEmpty()).toBe(true);
  });

  it('fieldRequiresExactMatch', () => {
    const sel = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
    expect(fieldRequiresExactMatch(sel, 'spec.nodeName')).toBe('n1');
    expect(fieldRequiresExactMatch(sel, 'status.phase')).toBeUndefined();
    expect(fieldRequiresExactMatch(sel, 'metadata.name')).toBeUndefined();
  });

  it('isFieldSelector', () => {
    expect(isFieldSelector(parseFieldSelector('a=b'))).toBe(true);
    expect(isFieldSelector('a=b')).toBe(false);
  });

  it('property: escape/parse/toString round-trip any value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('metadata.name', 'spec.nodeName', 'status.phase'), fc.boolean(), fc.string()), { maxLength: 4 }),
        (terms) => {
          const text = terms.map(([f, ne, v]) => `${f}${ne ? '!=' : '='}${escapeFieldValue(v)}`).join(',');
          const sel = parseFieldSelector(text);
          const values = sel.requirements.map((r) => r.value).sort();
          expect(values).toEqual(terms.map(([, , v]) => v).sort());
          const again = parseFieldSelector(sel.toString());
          expect(again.requirements).toEqual(sel.requirements.map((r) => ({ ...r, operator: r.operator === '==' ? '=' : r.operator })));
          const obj = pod(terms[0]?.[2] ?? 'x', { spec: { nodeName: terms[1]?.[2] ?? '' }, status: { phase: 'Running' } });
          expect(again.matches(obj)).toBe(sel.matches(obj));
        },
      ),
      { numRuns: 300 },
    );
  });
});
