import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Quantity, parseQuantity, quantityToMilli } from '../../../src/model/quantity.js';
import { TugboatError } from '../../../src/model/errors.js';

describe('parseQuantity and canonical toString (Kubernetes Quantity.String)', () => {
  it.each([
    // [input, canonical, format]
    ['0', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0m', '0', 'DecimalSI'],
    ['1', '1', 'DecimalSI'],
    ['1Ki', '1Ki', 'BinarySI'],
    ['1Gi', '1Gi', 'BinarySI'],
    ['1024Mi', '1Gi', 'BinarySI'],
    ['1536Mi', '1536Mi', 'BinarySI'],
    ['300Mi', '300Mi', 'BinarySI'],
    ['1001Gi', '1001Gi', 'BinarySI'],
    ['1024Gi', '1Ti', 'BinarySI'],
    ['0.5Gi', '512Mi', 'BinarySI'],
    ['1.5Ki', '1536', 'BinarySI'],
    ['.001Ki', '1024m', 'BinarySI'],
    ['.000001Ki', '1024u', 'DecimalSI'],
    ['.000000000001Ki', '2n', 'DecimalSI'],
    ['9Ei', '9223372036854775807', 'BinarySI'],
    ['-1Ki', '-1Ki', 'BinarySI'],
    ['1000m', '1', 'DecimalSI'],
    ['1500m', '1500m', 'DecimalSI'],
    ['0.5', '500m', 'DecimalSI'],
    ['.5', '500m', 'DecimalSI'],
    ['-0.5', '-500m', 'DecimalSI'],
    ['+5', '5', 'DecimalSI'],
    ['1000', '1k', 'DecimalSI'],
    ['1000M', '1G', 'DecimalSI'],
    ['0.001T', '1G', 'DecimalSI'],
    ['1.08', '1080m', 'DecimalSI'],
    ['1080000000n', '1080m', 'DecimalSI'],
    ['1000u', '1m', 'DecimalSI'],
    ['80n', '80n', 'DecimalSI'],
    ['3.001n', '4n', 'DecimalSI'],
    ['0.00000012345', '124n', 'DecimalSI'],
    ['100.035k', '100035', 'DecimalSI'],
    ['1.01E', '1010P', 'DecimalSI'],
    ['12E', '12E', 'DecimalSI'],
    ['1.', '1', 'DecimalSI'],
    ['1.G', '1G', 'DecimalSI'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E3', '1e3', 'DecimalExponent'],
    ['1e9', '1e9', 'DecimalExponent'],
    ['.001e12', '1e9', 'DecimalExponent'],
    ['0.001e0', '1e-3', 'DecimalExponent'],
    ['1000e-12', '1e-9', 'DecimalExponent'],
    ['1.5e-3', '1500e-6', 'DecimalExponent'],
    ['1.5e3', '1500', 'DecimalExponent'],
    ['1.3E+6', '1300e3', 'DecimalExponent'],
    ['0.5e-9', '1e-9', 'DecimalExponent'],
    ['1.1E-9', '2e-9', 'DecimalExponent'],
    ['1E-3', '1e-3', 'DecimalExponent'],
    ['1e21', '1e21', 'DecimalExponent'],
  ])('%j -> %j (%s)', (input, canonical, format) => {
    const q = parseQuantity(input);
    expect(q.toString()).toBe(canonical);
    expect(q.format).toBe(format);
    expect(parseQuantity(canonical).cmp(q)).toBe(0);
  });

  it('reads a bare suffix as zero, as Kubernetes does', () => {
    expect(parseQuantity('e3').isZero()).toBe(true);
    expect(parseQuantity('Ki').isZero()).toBe(true);
    expect(parseQuantity('.').isZero()).toBe(true);
  });

  it('reads numbers as their decimal text', () => {
    expect(parseQuantity(0.5).toString()).toBe('500m');
    expect(parseQuantity(2).toString()).toBe('2');
    expect(parseQuantity(1e21).toString()).toBe('1e21');
    expect(parseQuantity(1e-7).toString()).toBe('100e-9');
  });

  it.each([
    '',
    '1.2.3',
    '5MB',
    '1ii',
    'abc',
    ' 1',
    '1 ',
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    '1e',
    '1K',
    '1kb',
    '--1',
    'x1',
  ])('rejects %j with Invalid', (text) => {
    try {
      parseQuantity(text, 'spec.containers[0].resources.limits.cpu');
    } catch (err) {
      expect(TugboatError.is(err, 'Invalid')).toBe(true);
      expect((err as TugboatError).causes[0].field).toBe('spec.containers[0].resources.limits.cpu');
      return;
    }
    throw new Error(`${text} parsed`);
  });

  it('rejects non-finite numbers', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(TugboatError);
    expect(() => parseQuantity(Number.POSITIVE_INFINITY)).toThrow(TugboatError);
  });

  it('keeps large values exact', () => {
    const q = parseQuantity('123456789012345678901234567890');
    expect(q.nanoValue()).toBe(123456789012345678901234567890n * 1_000_000_000n);
    expect(q.add('1').sub('123456789012345678901234567890').toString()).toBe('1');
  });
});

describe('Quantity arithmetic and accessors', () => {
  it.each([
    ['1', 1000, 1],
    ['100m', 100, 1],
    ['1500m', 1500, 2],
    ['0.1m', 1, 1],
    ['1n', 1, 1],
    ['1Ki', 1024000, 1024],
    ['-1.5m', -2, -1],
    ['0', 0, 0],
  ])('%j: milliValue %d, value %d (rounded up as Kubernetes)', (text, milli, value) => {
    const q = parseQuantity(text);
    expect(q.milliValue()).toBe(milli);
    expect(q.value()).toBe(value);
  });

  it('cmp, add, sub, isZero', () => {
    expect(parseQuantity('100m').cmp('50m')).toBe(1);
    expect(parseQuantity('50m').cmp(parseQuantity('100m'))).toBe(-1);
    expect(parseQuantity('1').cmp('1000m')).toBe(0);
    expect(parseQuantity('10000T').cmp('100Gi')).toBe(1);
    expect(parseQuantity('1Gi').add('512Mi').toString()).toBe('1536Mi');
    expect(parseQuantity('1').sub('250m').toString()).toBe('750m');
    expect(parseQuantity('1').sub('1').isZero()).toBe(true);
    expect(parseQuantity('0').add('1Ki').format).toBe('BinarySI');
    expect(parseQuantity('1k').add('1Ki').format).toBe('DecimalSI');
    expect(parseQuantity('2').neg().toString()).toBe('-2');
    expect(parseQuantity('1.5').asApproximateFloat64()).toBe(1.5);
    expect(JSON.stringify({ cpu: parseQuantity('0.5') })).toBe('{"cpu":"500m"}');
  });

  it('fromMilli and fromValue', () => {
    expect(Quantity.fromMilli(1500).toString()).toBe('1500m');
    expect(Quantity.fromValue(2048, 'BinarySI').toString()).toBe('2Ki');
    expect(Quantity.fromValue(1000).toString()).toBe('1k');
  });

  it('quantityToMilli', () => {
    expect(quantityToMilli(undefined)).toBe(0);
    expect(quantityToMilli(null)).toBe(0);
    expect(quantityToMilli('250m')).toBe(250);
    expect(quantityToMilli(2)).toBe(2000);
    expect(quantityToMilli('1Mi')).toBe(1048576000);
    expect(() => quantityToMilli('1x')).toThrow(TugboatError);
  });
});

// ---- properties ----

const quantityText = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    num: fc.stringMatching(/^[0-9]{0,12}$/),
    denom: fc.option(fc.stringMatching(/^[0-9]{0,10}$/), { nil: undefined }),
    suffix: fc.oneof(
      fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'),
      fc
        .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 30 }))
        .map(([e, s, n]) => `${e}${s}${n}`),
    ),
  })
  .filter((r) => r.num !== '' || (r.denom !== undefined && r.denom !== ''))
  .map((r) => `${r.sign}${r.num}${r.denom === undefined ? '' : `.${r.denom}`}${r.suffix}`);

const MULT: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

describe('properties', () => {
  it('parse(toString(q)) equals q, and toString is stable', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        const again = parseQuantity(q.toString());
        expect(again.cmp(q)).toBe(0);
        expect(again.toString()).toBe(q.toString());
      }),
      { numRuns: 1000 },
    );
  });

  it('the value agrees with floating point arithmetic', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const m = /^([+-]?[0-9.]+)(.*)$/.exec(text)!;
        const suffix = m[2];
        const mult = suffix in MULT ? MULT[suffix] : 10 ** Number(suffix.slice(1));
        const want = Number(m[1]) * mult;
        const got = parseQuantity(text).asApproximateFloat64();
        // Exact up to the rounding to nano units (and float error).
        if (Math.abs(want) < 9e18) expect(Math.abs(got - want)).toBeLessThanOrEqual(1.001e-9 + Math.abs(want) * 1e-12);
      }),
      { numRuns: 1000 },
    );
  });

  it('ordering of milliValue agrees with cmp', () => {
    fc.assert(
      fc.property(quantityText, quantityText, (a, b) => {
        const qa = parseQuantity(a);
        const qb = parseQuantity(b);
        const c = qa.cmp(qb);
        expect(qb.cmp(qa)).toBe(c === 0 ? 0 : -c);
        if (c < 0) expect(qa.milliValue()).toBeLessThanOrEqual(qb.milliValue());
        if (c > 0) expect(qa.milliValue()).toBeGreaterThanOrEqual(qb.milliValue());
        if (c === 0) expect(qa.milliValue()).toBe(qb.milliValue());
        if (qa.milliValue() < qb.milliValue()) expect(c).toBe(-1);
      }),
      { numRuns: 1000 },
    );
  });

  it('add and sub are inverse and commutative', () => {
    fc.assert(
      fc.property(quantityText, quantityText, (a, b) => {
        const qa = parseQuantity(a);
        expect(qa.add(b).sub(b).cmp(qa)).toBe(0);
        expect(qa.add(b).cmp(parseQuantity(b).add(qa))).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
