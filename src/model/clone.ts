/**
 * A fast deep copy of JSON-shaped values (plain objects, arrays, primitives): what the store and
 * the API copy on every write. Anything else (class instances, Dates, Maps, functions, symbols,
 * cycles, a `__proto__` key) is handed to `structuredClone` whole, so results and errors are
 * structuredClone's.
 */

const MAX_DEPTH = 64;

const hasOwn = Object.prototype.hasOwnProperty;

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
  // for-in with an own-property check: Object.keys' keys, without allocating its array.
  for (const k in v as object) {
    if (!hasOwn.call(v, k)) continue;
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

/** Marks "no stored counterpart" in {@link copySharing}. */
const NONE: unique symbol = Symbol('none');

function sameShape(a: object, b: unknown): b is object {
  return typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b) && Object.isFrozen(b);
}

/**
 * Copies `v` like `copy`, but a sub-tree that equals the corresponding sub-tree of `base` (a
 * deep-frozen stored object) is replaced by that frozen sub-tree instead of being copied.
 * `fresh` forces a new, mutable container at this level (its children may still be shared).
 */
function copyShared(v: unknown, base: unknown, depth: number, fresh: boolean): unknown {
  if (v === null || typeof v !== 'object') return copy(v, depth);
  if (v === base && !fresh && Object.isFrozen(base)) return base;
  if (depth > MAX_DEPTH || !sameShape(v, base)) return copy(v, depth);
  const b = base as Record<string, unknown>;
  let same = !fresh;
  if (Array.isArray(v)) {
    const bb = base as unknown[];
    if (v.length !== bb.length) return copy(v, depth);
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw NOT_PLAIN;
      const item = copyShared(v[i], bb[i], depth + 1, false);
      out[i] = item;
      if (item !== bb[i]) same = false;
    }
    return same ? base : out;
  }
  if (!isPlainObject(v)) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const k of Object.keys(v)) {
    if (k === '__proto__') throw NOT_PLAIN;
    const counterpart = Object.prototype.hasOwnProperty.call(b, k) ? b[k] : NONE;
    const item =
      counterpart === NONE
        ? copy((v as Record<string, unknown>)[k], depth + 1)
        : copyShared((v as Record<string, unknown>)[k], counterpart, depth + 1, false);
    out[k] = item;
    count++;
    if (item !== counterpart) same = false;
  }
  if (same && count !== Object.keys(b).length) same = false;
  return same ? base : out;
}

/**
 * A deep, mutable copy of the object `value` for storing it as the next version of `base` (a
 * deep-frozen object the store owns): the root and `metadata` are always new, mutable objects;
 * any other sub-tree equal to the same sub-tree of `base` is `base`'s frozen sub-tree itself,
 * not a copy. Versions of an object thus share what did not change, which the store's freeze
 * and equality checks skip. Other values go to structuredClone, as with {@link cloneJson}.
 */
export function cloneSharing<T extends object>(value: T, base: object): T {
  try {
    const out: Record<string, unknown> = {};
    const b = base as Record<string, unknown>;
    for (const k of Object.keys(value)) {
      if (k === '__proto__') throw NOT_PLAIN;
      const v = (value as Record<string, unknown>)[k];
      const counterpart = Object.prototype.hasOwnProperty.call(b, k) ? b[k] : NONE;
      out[k] = counterpart === NONE ? copy(v, 1) : copyShared(v, counterpart, 1, k === 'metadata');
    }
    if (!isPlainObject(value)) throw NOT_PLAIN;
    return out as T;
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return structuredClone(value);
  }
}
