import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  everything,
  isSelector,
  labelSelectorAsSelector,
  nothing,
  parseSelector,
  requiresExactMatch,
  selectorFromSet,
  validateLabelKey,
  validateLabelValue,
  type Requirement,
} from '../../../src/model/selector.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { LabelSelector } from '../../../src/model/types.js';

function invalid(fn: () => unknown): TugboatError {
  try {
    fn();
  } catch (err) {
    expect(TugboatError.is(err, 'Invalid')).toBe(true);
    return err as TugboatError;
  }
  throw new Error('expected an Invalid TugboatError');
}

describe('parseSelector: string syntax and canonical form', () => {
  it.each([
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a', 'a'],
    ['!a', '!a'],
    ['x in (b,a)', 'x in (a,b)'],
    ['x notin (b,a,b)', 'x notin (a,b)'],
    [' tier in ( a , b ) , app = web , !x ', 'app=web,tier in (a,b),!x'],
    ['a in ()', 'a in ()'],
    ['a in (,x)', 'a in (,x)'],
    ['a in (x,)', 'a in (,x)'],
    ['a=', 'a='],
    ['a==', 'a=='],
    ['a!=,b', 'a!=,b'],
    ['in in (in,notin)', 'in in (in,notin)'],
    ['a>5,a<10', 'a>5,a<10'],
    ['example.com/x=y', 'example.com/x=y'],
    ['b,a,!c', 'a,b,!c'],
    ['a\tin\n(x)\r', 'a in (x)'],
  ])('%j -> %j', (text, canonical) => {
    expect(parseSelector(text).toString()).toBe(canonical);
  });

  it('gives requirements sorted by key with sorted values', () => {
    const reqs = parseSelector('z notin (q,p),a=1,m').requirements.map((r: Requirement) => [r.key, r.operator, r.values]);
    expect(reqs).toEqual([
      ['a', '=', ['1']],
      ['m', 'Exists', []],
      ['z', 'NotIn', ['p', 'q']],
    ]);
  });

  it.each([
    'a=b c',
    'a,',
    ',a',
    'a,,b',
    'a in (x',
    'a in x',
    'a in (x y)',
    '!a=b',
    'a=b=c',
    '-a',
    'a-',
    'a=-b',
    'a/b/c',
    '/a',
    'A.com/x',
    'a>x',
    'a>',
    '(a)',
    'a notin',
    'a!',
    '!',
    '=b',
    'a=(b)',
    `a=${'x'.repeat(64)}`,
    `${'k'.repeat(64)}`,
  ])('rejects %j with Invalid naming labelSelector', (text) => {
    const err = invalid(() => parseSelector(text));
    expect(err.causes.length).toBeGreaterThan(0);
    expect(err.causes[0].field).toBe('labelSelector');
  });

  it('names a caller-given field path', () => {
    const err = invalid(() => parseSelector('a in', 'spec.selector'));
    expect(err.causes[0].field).toBe('spec.selector');
  });
});

describe('Selector.matches: Kubernetes semantics', () => {
  const cases: [string, Record<string, string> | undefined | null, boolean][] = [
    ['', {}, true],
    ['', undefined, true],
    ['', null, true],
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a=b', {}, false],
    ['a==b', { a: 'b', c: 'd' }, true],
    ['a!=b', { a: 'b' }, false],
    ['a!=b', { a: 'c' }, true],
    ['a!=b', {}, true],
    ['a!=b', undefined, true],
    ['a in (x,y)', { a: 'y' }, true],
    ['a in (x,y)', { a: 'z' }, false],
    ['a in (x,y)', {}, false],
    ['a notin (x,y)', { a: 'x' }, false],
    ['a notin (x,y)', { a: 'z' }, true],
    ['a notin (x,y)', {}, true],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', { a: '' }, false],
    ['!a', { b: 'a' }, true],
    ['!a', null, true],
    ['a=', { a: '' }, true],
    ['a=', {}, false],
    ['a in ()', { a: '' }, true],
    ['a>5', { a: '6' }, true],
    ['a>5', { a: '5' }, false],
    ['a>5', { a: 'x' }, false],
    ['a>5', {}, false],
    ['a<5', { a: '-7' }, true],
    ['a<5', { a: '99999999999999999999' }, false],
    ['app=web,tier in (a,b),!x', { app: 'web', tier: 'b' }, true],
    ['app=web,tier in (a,b),!x', { app: 'web', tier: 'b', x: '1' }, false],
    ['app=web,tier in (a,b),!x', { app: 'web' }, false],
    ['constructor', {}, false],
    ['!constructor', {}, true],
    ['toString!=x', {}, true],
    ['hasOwnProperty in (x)', {}, false],
  ];
  it.each(cases)('%j on %j is %s', (text, labels, want) => {
    expect(parseSelector(text).matches(labels)).toBe(want);
  });

  it('labels without a prototype work', () => {
    const labels = Object.assign(Object.create(null) as Record<string, string>, { a: 'b' });
    expect(parseSelector('a=b,!c').matches(labels)).toBe(true);
  });

  it('matches is usable detached (e.g. as a filter callback)', () => {
    const { matches } = parseSelector('a=b');
    expect([{ a: 'b' }, { a: 'c' }].filter(matches)).toEqual([{ a: 'b' }]);
  });
});

describe('LabelSelector objects', () => {
  it('agree with the string form', () => {
    const sel = parseSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'x', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists', values: [] },
      ],
    });
    expect(sel.toString()).toBe('app=web,env notin (prod),team,tier in (a,b),!x');
    expect(sel.matches({ app: 'web', tier: 'a', team: 't' })).toBe(true);
    expect(sel.matches({ app: 'web', tier: 'a', team: 't', env: 'prod' })).toBe(false);
  });

  it.each<[LabelSelector, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] }, 'matchExpressions[0].values'],
    [
      {
        matchExpressions: [
          { key: 'a', operator: 'Exists' },
          { key: 'a', operator: 'Gt', values: ['1'] },
        ],
      },
      'matchExpressions[1].operator',
    ],
    [{ matchExpressions: [{ key: 'a', operator: '=', values: ['1'] }] }, 'matchExpressions[0].operator'],
    [{ matchExpressions: [{ key: '-a', operator: 'Exists' }] }, 'matchExpressions[0].key'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', '-bad'] }] }, 'matchExpressions[0].values[1]'],
    [{ matchLabels: { 'a/b/c': 'x' } }, 'matchLabels'],
    [{ matchLabels: { a: 'has space' } }, 'matchLabels'],
  ])('rejects %j naming %s', (ls, field) => {
    const err = invalid(() => parseSelector(ls));
    expect(err.causes.map((c) => c.field)).toContain(field);
  });

  it('reports every bad field, under a caller-given path', () => {
    const err = invalid(() =>
      parseSelector(
        {
          matchLabels: { '-x': 'y' },
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'b', operator: 'Foo' },
          ],
        },
        'spec.selector',
      ),
    );
    expect(err.causes.map((c) => c.field)).toEqual([
      'spec.selector.matchLabels',
      'spec.selector.matchExpressions[0].values',
      'spec.selector.matchExpressions[1].operator',
    ]);
  });

  it('an empty object selects everything', () => {
    expect(parseSelector({}).isEmpty()).toBe(true);
    expect(parseSelector({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' })).toBe(true);
  });
});

describe('helpers', () => {
  it('labelSelectorAsSelector: null/undefined select nothing, {} everything', () => {
    expect(labelSelectorAsSelector(null).matches({})).toBe(false);
    expect(labelSelectorAsSelector(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorAsSelector(null).isEmpty()).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: { a: 'b' } }).toString()).toBe('a=b');
  });

  it('everything and nothing', () => {
    expect(everything().matches(undefined)).toBe(true);
    expect(everything().isEmpty()).toBe(true);
    expect(everything().toString()).toBe('');
    expect(nothing().matches({})).toBe(false);
    expect(nothing().matches(undefined)).toBe(false);
    expect(nothing().isEmpty()).toBe(false);
  });

  it('selectorFromSet requires every pair', () => {
    const sel = selectorFromSet({ b: '2', a: '1' });
    expect(sel.toString()).toBe('a=1,b=2');
    expect(sel.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(sel.matches({ a: '1' })).toBe(false);
    expect(selectorFromSet({}).isEmpty()).toBe(true);
    expect(invalid(() => selectorFromSet({ 'bad key': 'x' }, 'spec.selector')).causes[0].field).toBe('spec.selector');
  });

  it('isSelector', () => {
    expect(isSelector(parseSelector('a'))).toBe(true);
    expect(isSelector(nothing())).toBe(true);
    expect(isSelector({ matchLabels: {} })).toBe(false);
    expect(isSelector('a=b')).toBe(false);
    expect(isSelector(null)).toBe(false);
  });

  it('parseSelector returns a Selector unchanged', () => {
    const sel = parseSelector('a=b');
    expect(parseSelector(sel)).toBe(sel);
  });

  it('requiresExactMatch', () => {
    expect(requiresExactMatch(parseSelector('a=b,c'), 'a')).toBe('b');
    expect(requiresExactMatch(parseSelector('a in (b)'), 'a')).toBe('b');
    expect(requiresExactMatch(parseSelector('a in (b,c)'), 'a')).toBeUndefined();
    expect(requiresExactMatch(parseSelector('a!=b'), 'a')).toBeUndefined();
    expect(requiresExactMatch(parseSelector('c=d'), 'a')).toBeUndefined();
  });

  it('validates label keys and values by Kubernetes rules', () => {
    expect(validateLabelKey('app')).toEqual([]);
    expect(validateLabelKey('app.kubernetes.io/name')).toEqual([]);
    expect(validateLabelKey(`${'a'.repeat(253)}/${'b'.repeat(63)}`)).toEqual([]);
    expect(validateLabelKey(`${'a'.repeat(254)}/b`)).not.toEqual([]);
    expect(validateLabelKey('b'.repeat(64))).not.toEqual([]);
    expect(validateLabelKey('')).not.toEqual([]);
    expect(validateLabelKey('a/')).not.toEqual([]);
    expect(validateLabelKey('Ex.com/a')).not.toEqual([]);
    expect(validateLabelKey('a_b.c-D9')).toEqual([]);
    expect(validateLabelKey('_a')).not.toEqual([]);
    expect(validateLabelValue('')).toEqual([]);
    expect(validateLabelValue('v1.2_3-x')).toEqual([]);
    expect(validateLabelValue('x'.repeat(63))).toEqual([]);
    expect(validateLabelValue('x'.repeat(64))).not.toEqual([]);
    expect(validateLabelValue('a b')).not.toEqual([]);
    expect(validateLabelValue('a.')).not.toEqual([]);
  });
});

// ---- properties ----

const KEYS = ['a', 'b', 'c', 'example.com/d'];
const VALUES = ['', 'x', 'y', '1', '10'];
const INTS = ['1', '5', '10'];

/** Kubernetes' matching rules, written independently of the implementation. */
function reference(reqs: { key: string; op: string; values: string[] }[], labels: Record<string, string>): boolean {
  return reqs.every(({ key, op, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const v = labels[key];
    switch (op) {
      case '=':
      case '==':
      case 'in':
        return has && values.includes(v);
      case '!=':
      case 'notin':
        return !has || !values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      case '>':
        return has && /^[+-]?\d+$/.test(v) && Number(v) > Number(values[0]);
      case '<':
        return has && /^[+-]?\d+$/.test(v) && Number(v) < Number(values[0]);
      default:
        throw new Error(op);
    }
  });
}

const requirementArb = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    op: fc.constantFrom('=', '==', '!='),
    values: fc.tuple(fc.constantFrom(...VALUES)).map((v) => [...v]),
  }),
  fc.record({
    key: fc.constantFrom(...KEYS),
    op: fc.constantFrom('in', 'notin'),
    values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), op: fc.constantFrom('exists', '!'), values: fc.constant([] as string[]) }),
  fc.record({
    key: fc.constantFrom(...KEYS),
    op: fc.constantFrom('>', '<'),
    values: fc.tuple(fc.constantFrom(...INTS)).map((v) => [...v]),
  }),
);

function render(r: { key: string; op: string; values: string[] }, ws: string): string {
  switch (r.op) {
    case 'exists':
      return `${ws}${r.key}${ws}`;
    case '!':
      return `${ws}!${ws}${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op}${ws}(${ws}${r.values.join(`${ws},${ws}`)}${ws})`;
    default:
      return `${r.key}${ws}${r.op}${ws}${r.values[0]}`;
  }
}

const labelsArb = fc.dictionary(fc.constantFrom(...KEYS, 'z'), fc.constantFrom(...VALUES, '7', '-3', 'abc'));

describe('properties', () => {
  it('matching agrees with the rules, and parse(toString()) selects exactly the same labels', () => {
    fc.assert(
      fc.property(
        fc.array(requirementArb, { maxLength: 5 }),
        fc.constantFrom('', ' ', '  '),
        fc.array(labelsArb, { minLength: 1, maxLength: 10 }),
        (reqs, ws, labelSets) => {
          const sel = parseSelector(reqs.map((r) => render(r, ws)).join(','));
          const again = parseSelector(sel.toString());
          expect(again.toString()).toBe(sel.toString());
          for (const labels of labelSets) {
            const want = reference(reqs, labels);
            expect(sel.matches(labels)).toBe(want);
            expect(again.matches(labels)).toBe(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a LabelSelector object and its string form agree', () => {
    const exprArb = fc.oneof(
      fc.record({
        key: fc.constantFrom(...KEYS),
        operator: fc.constantFrom('In', 'NotIn'),
        values: fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
    );
    const lsArb = fc.record(
      {
        matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)),
        matchExpressions: fc.array(exprArb, { maxLength: 4 }),
      },
      { requiredKeys: [] },
    );
    const opOf: Record<string, string> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
    fc.assert(
      fc.property(lsArb, fc.array(labelsArb, { minLength: 1, maxLength: 10 }), (ls, labelSets) => {
        const sel = parseSelector(ls);
        const text = parseSelector(sel.toString());
        const reqs = [
          ...Object.entries(ls.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=', values: [v] })),
          ...(ls.matchExpressions ?? []).map((e) => ({ key: e.key, op: opOf[e.operator], values: 'values' in e ? e.values : [] })),
        ];
        for (const labels of labelSets) {
          const want = reference(reqs, labels);
          expect(sel.matches(labels)).toBe(want);
          expect(text.matches(labels)).toBe(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
