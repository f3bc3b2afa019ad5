/**
 * Cached quantity conversions for the scheduler's hot path: the same few request strings
 * ('100m', '1Gi') are converted millions of times, so each text is parsed once.
 */
import { parseQuantity } from '../model/quantity.js';

const milli = new Map<string, number>();
const units = new Map<string, number>();
const LIMIT = 10_000;

function cached(map: Map<string, number>, q: string | number, f: (text: string | number) => number): number {
  if (typeof q === 'number') return f(q);
  let v = map.get(q);
  if (v === undefined) {
    v = f(q);
    if (map.size < LIMIT) map.set(q, v);
  }
  return v;
}

/** Millicores (thousandths) of a quantity, rounded up as Kubernetes' MilliValue. */
export function milliValue(q: string | number, field = 'quantity'): number {
  return cached(milli, q, (t) => parseQuantity(t, field).milliValue());
}

/** Whole units (e.g. bytes) of a quantity, rounded up as Kubernetes' Value. */
export function unitValue(q: string | number, field = 'quantity'): number {
  return cached(units, q, (t) => parseQuantity(t, field).value());
}
