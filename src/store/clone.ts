/**
 * A fast deep copy of JSON-shaped values (plain objects, arrays, primitives): what the store and
 * the API copy on every write. Anything else (class instances, Dates, Maps, functions, symbols,
 * cycles, a `__proto__` key) is handed to `structuredClone` whole, so results and errors are
 * structuredClone's.
 */

const MAX_DEPTH = 64;

/** Thrown inside the fast path when the value needs structuredClone. */
const NOT_PLAIN = Symbol('not plain');

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function copy(v: unknown, depth: number): unknown {
  if (v === null) return v;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined') return v;
  if (t !== 'object' || depth > MAX_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw NOT_PLAIN; // holes: keep structuredClone's sparse result
      out[i] = copy(v[i], depth + 1);
    }
    return out;
  }
  if (!isPlainObject(v as object)) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as object)) {
    if (k === '__proto__') throw NOT_PLAIN;
    out[k] = copy((v as Record<string, unknown>)[k], depth + 1);
  }
  return out;
}

/**
 * A deep, mutable copy of `value`, as `structuredClone(value)` returns for JSON-shaped values but
 * several times faster; other values go to structuredClone (which may throw DataCloneError).
 */
export function cloneJson<T>(value: T): T {
  try {
    return copy(value, 0) as T;
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return structuredClone(value);
  }
}
