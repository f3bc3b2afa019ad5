/**
 * Plain JSON values as the API server decodes them: own properties only (a key such as
 * `__proto__`, `constructor` or `prototype` is an ordinary key, never a prototype), no cycles, a
 * bounded depth and size. Every decode and every patch walker reads and writes through these
 * helpers, so no input can reach an object's prototype.
 */
import { TugboatError } from './errors.js';

/**
 * The deepest nesting an object may have. Kubernetes' decoders stop at 10,000; tugboat's
 * recursive walkers (defaulting, validation, patches) need a lower bound to stay within the stack.
 */
export const MAX_JSON_DEPTH = 1000;

/** The largest object the API stores: etcd's request limit, which Kubernetes inherits (1.5 MiB). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** True when `key` is an own property of `obj` (not inherited, so `constructor` is not found on `{}`). */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** The own property `key` of `obj`, or undefined (never an inherited member). */
export function getOwn(obj: object, key: string): unknown {
  return hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Sets the own property `key` of `obj` (for `__proto__` too: a data property, not the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What {@link toJsonValue} measured. */
export interface JsonMeasure {
  /** The value's size as compact JSON, in bytes (UTF-16 units of strings, close enough for limits). */
  bytes: number;
}

/**
 * A deep, mutable copy of `value` as `JSON.parse(JSON.stringify(value))` would make it (toJSON is
 * called, undefined and functions in objects are dropped), but refusing what JSON cannot carry or
 * the API must not accept: cycles, NaN and infinities, bigints, symbols, nesting deeper than
 * {@link MAX_JSON_DEPTH}. Keys are copied as own data properties. Throws BadRequest naming `where`.
 */
export function toJsonValue(value: unknown, where = 'object', measure?: JsonMeasure): unknown {
  const ancestors = new Set<object>();
  let bytes = 0;
  // The path to the value being copied, as keys and indexes, joined only when a failure names it.
  const keys: (string | number)[] = [];
  const fail = (why: string): never => {
    const path = keys.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');
    const shown = path.length > 120 ? `${path.slice(0, 60)}...${path.slice(-40)}` : path;
    throw TugboatError.badRequest(`${shown ? `${where}: ${shown}` : where}: ${why}`);
  };
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null) {
      bytes += 4;
      return null;
    }
    switch (typeof v) {
      case 'string':
        bytes += v.length + 2;
        return v;
      case 'boolean':
        bytes += 5;
        return v;
      case 'number':
        if (!Number.isFinite(v)) fail(`${String(v)} is not a JSON number`);
        bytes += 8;
        return v;
      case 'object':
        break;
      default:
        return fail(`a ${typeof v} is not a JSON value`);
    }
    let obj = v as object;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy((toJSON as () => unknown).call(obj), depth);
    if (depth >= MAX_JSON_DEPTH) fail(`exceeded max depth of ${MAX_JSON_DEPTH}`);
    if (ancestors.has(obj)) fail('the value refers to itself (a cycle), which JSON cannot hold');
    ancestors.add(obj);
    let out: unknown;
    if (Array.isArray(obj)) {
      const list = new Array<unknown>(obj.length);
      bytes += 2;
      for (let i = 0; i < obj.length; i++) {
        const item = (obj as unknown[])[i];
        if (item === undefined || typeof item === 'function') list[i] = null;
        else {
          keys.push(i);
          list[i] = copy(item, depth + 1);
          keys.pop();
        }
        bytes += 1;
      }
      out = list;
    } else {
      const rec: Record<string, unknown> = {};
      bytes += 2;
      for (const k of Object.keys(obj)) {
        const item = (obj as Record<string, unknown>)[k];
        if (item === undefined || typeof item === 'function') continue;
        bytes += k.length + 4;
        keys.push(k);
        setOwn(rec, k, copy(item, depth + 1));
        keys.pop();
      }
      out = rec;
    }
    ancestors.delete(obj);
    obj = out as object;
    return obj;
  };
  const result = copy(value, 0);
  if (measure) measure.bytes = bytes;
  return result;
}
