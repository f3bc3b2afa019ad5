/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`) with the semantics of
 * k8s.io/apimachinery/pkg/api/resource: exact values (BigInt, rounded up to nano units as
 * Kubernetes does), the three format families and Kubernetes' canonical string form.
 */
import { TugboatError, fieldError } from './errors.js';

/** How a quantity renders: `1e3` (DecimalExponent), `1Ki` (BinarySI) or `1k` (DecimalSI). */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const NANO = 1_000_000_000n;
const MILLI_NANOS = 1_000_000n;
/** Kubernetes caps BinarySI quantities at 2^63-1. */
const MAX_BINARY_NANOS = 9223372036854775807n * NANO;
/** Beyond 10^MAX_POW10 a quantity is refused (Kubernetes has no practical use for it; this bounds the work). */
const MAX_POW10 = 1000;

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([s, e]) => [e, s]));
const BIN_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Divides magnitudes, rounding up (away from zero for the signed result). */
function divUp(n: bigint, d: bigint): bigint {
  const m = abs(n);
  const q = m / d + (m % d === 0n ? 0n : 1n);
  return n < 0n ? -q : q;
}

/**
 * A Kubernetes resource quantity: an exact decimal value (to nano units) and the format family it
 * renders in. Immutable; build one with parseQuantity, Quantity.fromMilli or Quantity.fromValue.
 */
export class Quantity {
  #text: string | undefined;

  /** @param nanos the value in units of 10^-9. @param format the family toString renders in. */
  constructor(
    readonly nanos: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
  ) {
    Object.freeze(this);
  }

  /** A quantity of `milli` thousandths (e.g. CPU millicores). */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBig(milli) * MILLI_NANOS, format);
  }

  /** A quantity of whole units (e.g. bytes). */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBig(value) * NANO, format);
  }

  /** The value in thousandths, rounded up in magnitude as Kubernetes' MilliValue (0.1m -> 1). */
  milliValue(): number {
    return Number(divUp(this.nanos, MILLI_NANOS));
  }

  /** The value in whole units, rounded up in magnitude as Kubernetes' Value() (1500m -> 2). */
  value(): number {
    return Number(divUp(this.nanos, NANO));
  }

  /** The exact value in nano units. */
  nanoValue(): bigint {
    return this.nanos;
  }

  /** The value as a float (may lose precision), as Kubernetes' AsApproximateFloat64. */
  asApproximateFloat64(): number {
    return Number(this.nanos) / 1e9;
  }

  /** -1, 0 or 1 as this quantity is less than, equal to or greater than `other`. */
  cmp(other: Quantity | string | number): number {
    const o = toQuantity(other).nanos;
    return this.nanos < o ? -1 : this.nanos > o ? 1 : 0;
  }

  /** True when both quantities have the same value (formats may differ). */
  equals(other: Quantity | string | number): boolean {
    return this.cmp(other) === 0;
  }

  /** The sum; keeps this quantity's format unless it is zero (as Kubernetes' Add). */
  add(other: Quantity | string | number): Quantity {
    const o = toQuantity(other);
    return new Quantity(this.nanos + o.nanos, this.isZero() ? o.format : this.format);
  }

  /** The difference; keeps this quantity's format unless it is zero (as Kubernetes' Sub). */
  sub(other: Quantity | string | number): Quantity {
    const o = toQuantity(other);
    return new Quantity(this.nanos - o.nanos, this.isZero() ? o.format : this.format);
  }

  /** The negated quantity. */
  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  /** True for a zero quantity. */
  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** -1, 0 or 1 by the sign of the value. */
  sign(): number {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  /** Kubernetes' canonical form (Quantity.String()): `1Gi`, `1536Mi`, `500m`, `1e3`, `0`. */
  toString(): string {
    return (this.#text ??= canonical(this.nanos, this.format));
  }

  /** Serializes as the canonical string, as Kubernetes does in JSON. */
  toJSON(): string {
    return this.toString();
  }
}

function toBig(n: number | bigint): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) {
    throw new TugboatError('Invalid', `quantity: ${n} is not a safe integer`, {
      causes: [fieldError('quantity', 'must be a safe integer')],
    });
  }
  return BigInt(n);
}

function toQuantity(q: Quantity | string | number): Quantity {
  return q instanceof Quantity ? q : parseQuantity(q);
}

function canonical(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  if (format === 'BinarySI' && abs(nanos) >= 1024n * NANO && nanos % NANO === 0n) {
    let v = nanos / NANO;
    let e = 0;
    while (e < BIN_NAMES.length - 1 && v % 1024n === 0n) {
      v /= 1024n;
      e++;
    }
    return `${v}${BIN_NAMES[e]}`;
  }
  // Decimal: strip factors of ten, then lower the exponent to a multiple of three.
  let m = nanos;
  let e = -9;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (format === 'DecimalExponent') return e === 0 ? `${m}` : `${m}e${e}`;
  if (e > 18) {
    // Kubernetes would drop the suffix here; keep the value by staying with E.
    m *= 10n ** BigInt(e - 18);
    e = 18;
  }
  return `${m}${DEC_BY_EXP.get(e)}`;
}

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Splits `[+-]digits[.digits]suffix` as Kubernetes' parseQuantityString; undefined on bad form. */
function scan(str: string): Scanned | undefined {
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (pos < end && str[pos] === '.') {
    i = ++pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) return undefined;
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** The base, exponent and format a suffix stands for, or undefined. */
function interpret(suffix: string): { base: 2 | 10; exp: number; format: QuantityFormat } | undefined {
  if (Object.prototype.hasOwnProperty.call(DEC_SUFFIX, suffix)) return { base: 10, exp: DEC_SUFFIX[suffix], format: 'DecimalSI' };
  if (Object.prototype.hasOwnProperty.call(BIN_SUFFIX, suffix)) return { base: 2, exp: BIN_SUFFIX[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    const digits = rest[0] === '+' || rest[0] === '-' ? rest.slice(1) : rest;
    if (digits.length === 0 || ![...digits].every(isDigit)) return undefined;
    const exp = Number(rest);
    // Go's ParseInt range; larger exponents are refused later as too large or rounded to 1n.
    if (!Number.isSafeInteger(exp)) return undefined;
    return { base: 10, exp, format: 'DecimalExponent' };
  }
  return undefined;
}

function invalidQuantity(text: string, message: string, fieldPath: string): TugboatError {
  return new TugboatError('Invalid', `${fieldPath}: invalid quantity ${JSON.stringify(text)}: ${message}`, {
    causes: [fieldError(fieldPath, message)],
  });
}

/**
 * Parses a Kubernetes quantity (`100m`, `0.5`, `1.5Gi`, `1e3`, `-2k`; a number is read as its
 * decimal text). Throws TugboatError `Invalid` naming `fieldPath` (default `quantity`).
 */
export function parseQuantity(text: string | number | Quantity, fieldPath = 'quantity'): Quantity {
  if (text instanceof Quantity) return text;
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw invalidQuantity(String(text), 'must be a finite number', fieldPath);
    text = String(text);
  }
  if (typeof text !== 'string') throw invalidQuantity(String(text), 'must be a string or number', fieldPath);
  if (text.length === 0) throw invalidQuantity(text, FORMAT_MESSAGE, fieldPath);
  const s = scan(text);
  if (s === undefined) throw invalidQuantity(text, FORMAT_MESSAGE, fieldPath);
  const unit = interpret(s.suffix);
  if (unit === undefined) throw invalidQuantity(text, "unable to parse quantity's suffix", fieldPath);

  const digits = BigInt(s.num + s.denom);
  let nanos: bigint;
  if (unit.base === 10) {
    const k = unit.exp - s.denom.length + 9;
    if (k >= 0) {
      if (digits !== 0n && k + s.num.length > MAX_POW10) throw invalidQuantity(text, 'quantity is too large', fieldPath);
      nanos = digits * 10n ** BigInt(k);
    } else if (-k > s.num.length + s.denom.length + 1) {
      nanos = digits === 0n ? 0n : 1n; // below one nano: rounds up to the smallest unit
    } else {
      nanos = divUp(digits, 10n ** BigInt(-k));
    }
  } else {
    nanos = divUp(digits * (1n << BigInt(unit.exp)) * NANO, 10n ** BigInt(s.denom.length));
  }

  let format = unit.format;
  if (format === 'BinarySI') {
    if (nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
    if (nanos > 0n && nanos < NANO) format = 'DecimalSI';
  }
  return new Quantity(s.positive ? nanos : -nanos, format);
}

/**
 * A quantity in thousandths (CPU millicores, or bytes*1000), for resource math: undefined is 0,
 * rounding is up as Kubernetes' MilliValue. Throws TugboatError `Invalid` for a bad quantity.
 */
export function quantityToMilli(q: string | number | Quantity | undefined | null): number {
  if (q === undefined || q === null) return 0;
  return parseQuantity(q).milliValue();
}
