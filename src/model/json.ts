/**
 * Structural equality and a canonical text of plain JSON values, with the semantics of a JSON
 * round trip: how the store tells a no-op write, validation an immutable field, and controllers
 * whether a status or template really changed. The one JSON equality of tugboat.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * True when `a` and `b` are equal after a JSON round trip (`JSON.parse(JSON.stringify(x))`),
 * object key order ignored: a member whose value is `undefined` is absent; `undefined` elsewhere
 * (an array item, a top-level value), `NaN` and the infinities read as `null`; `-0` equals `0`.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  // The same verdict as comparing stableStringify's texts, without building them.
  a = asJson(a);
  b = asJson(b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  // for-in with an own-property check: Object.keys' keys, without allocating its array.
  for (const k in ra) {
    if (!hasOwn.call(ra, k) || ra[k] === undefined) continue;
    count++;
    if (rb[k] === undefined || !hasOwn.call(rb, k) || !jsonEqual(ra[k], rb[k])) return false;
  }
  for (const k in rb) if (hasOwn.call(rb, k) && rb[k] !== undefined) count--;
  return count === 0;
}

/** What JSON.stringify writes as null (undefined, NaN, infinities) as null; anything else as is. */
function asJson(v: unknown): unknown {
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return null;
  return v;
}

/** JSON with object keys sorted (undefined members dropped): a canonical form for hashing. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => stableStringify(x)).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
}
