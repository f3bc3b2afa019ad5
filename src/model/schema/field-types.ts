/**
 * The type check of the API server's decoder for built-in kinds: every known field must hold
 * the JSON type its schema gives (a string, an int32 or int64, a bool, an object, a list, a map,
 * an IntOrString, a Quantity), as Go's JSON decoder into Kubernetes' structs demands. Runs on
 * the decoded input before defaulting, so no defaulter or validator ever sees a wrong type.
 * Unknown fields are not checked here (they are warnings, see unknown-fields.ts).
 */
import { KIND_ROOTS, KNOWN_TYPES } from './known-fields.generated.js';
import { hasOwn, isJsonObject } from '../json-value.js';
import { parseQuantity } from '../quantity.js';
import type { StatusCause } from '../types.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_LIMIT = 2 ** 63;

/** What Go calls a JSON value's type in its decode errors. */
function jsonTypeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return `number ${String(v)}`;
  return typeof v;
}

/** The Go type a code stands for, as Kubernetes' decode errors name it. */
function goType(code: string): string {
  if (code.startsWith('[]')) return `[]${goType(code.slice(2))}`;
  if (code.startsWith('{}')) return `map[string]${goType(code.slice(2))}`;
  switch (code) {
    case 'boolean':
      return 'bool';
    case 'double':
    case 'number':
      return 'float64';
    case 'intstr':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'string':
    case 'int32':
    case 'int64':
      return code;
    default:
      return code.split('.').slice(-2).join('.');
  }
}

/** The zero value Go decodes a JSON `null` list item or map value to. */
function zeroOf(code: string): unknown {
  if (code === 'string') return '';
  if (code === 'quantity') return '0';
  if (code === 'boolean') return false;
  if (code === 'int32' || code === 'int64' || code === 'double' || code === 'number' || code === 'intstr') return 0;
  if (code.startsWith('[]') || code === '') return null;
  return {};
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Whether a scalar value fits its code; undefined when the code is not a scalar. */
function scalarFits(code: string, v: unknown): boolean | undefined {
  switch (code) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'int32':
      return isInt(v, INT32_MIN, INT32_MAX);
    case 'int64':
      return isInt(v, -INT64_LIMIT, INT64_LIMIT - 1);
    case 'double':
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'intstr':
      return typeof v === 'string' || isInt(v, INT32_MIN, INT32_MAX);
    case 'quantity':
      return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    default:
      return undefined;
  }
}

interface Walk {
  causes: StatusCause[];
  /**
   * The path to the value being checked, joined only when a cause names it: a field name, a
   * list index (a number), or a map key already in brackets (`[key]`; no field name starts so).
   */
  keys: (string | number)[];
}

/** The path of the value being checked: `spec.containers[0].resources.limits[cpu]`. */
function pathOf(w: Walk): string {
  let path = '';
  for (const k of w.keys) {
    if (typeof k === 'number') path += `[${k}]`;
    else if (k.startsWith('[')) path += k;
    else path = path ? `${path}.${k}` : k;
  }
  return path;
}

/** The struct name of a schema code (`io.k8s.api.core.v1.PodSpec` -> `PodSpec`), computed once per code. */
const structNames = new Map<string, string>();
function structName(code: string): string {
  let name = structNames.get(code);
  if (name === undefined) {
    name = code.split('.').pop() ?? code;
    structNames.set(code, name);
  }
  return name;
}

function mismatch(w: Walk, code: string, value: unknown, struct: string): void {
  const path = pathOf(w);
  const owner = struct ? `Go struct field ${struct}.${path}` : `Go value ${path}`;
  w.causes.push({
    field: path,
    message: `json: cannot unmarshal ${jsonTypeOf(value)} into ${owner} of type ${goType(code)}`,
    reason: 'FieldValueTypeInvalid',
  });
}

/**
 * Checks `value` (at `path`, inside the struct named `struct`) against `code`. `null` is
 * accepted anywhere (Go leaves the zero value); a `null` list item or map value is replaced by
 * its zero value in place, as Go decodes it, so later checks see `{}` or `''` instead of null.
 */
function check(w: Walk, code: string, value: unknown, struct: string): void {
  if (code === '' || value === null || value === undefined) return;
  const fits = scalarFits(code, value);
  if (fits !== undefined) {
    if (!fits) mismatch(w, code, value, struct);
    else if (code === 'quantity') {
      const path = pathOf(w);
      try {
        parseQuantity(value as string | number, path);
      } catch (err) {
        const cause = (err as { causes?: StatusCause[] }).causes?.[0];
        w.causes.push(cause ?? { field: path, message: String(err), reason: 'FieldValueInvalid' });
      }
    }
    return;
  }
  if (code.startsWith('[]')) {
    if (!Array.isArray(value)) return mismatch(w, code, value, struct);
    const item = code.slice(2);
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) value[i] = zeroOf(item);
      w.keys.push(i);
      check(w, item, value[i], struct);
      w.keys.pop();
    }
    return;
  }
  if (code.startsWith('{}')) {
    if (!isJsonObject(value)) return mismatch(w, code, value, struct);
    const item = code.slice(2);
    for (const k of Object.keys(value)) {
      if (value[k] === null) value[k] = zeroOf(item);
      w.keys.push(`[${k}]`);
      check(w, item, value[k], struct);
      w.keys.pop();
    }
    return;
  }
  const fields = hasOwn(KNOWN_TYPES, code) ? KNOWN_TYPES[code] : undefined;
  if (!fields) return;
  if (!isJsonObject(value)) return mismatch(w, code, value, struct);
  const name = structName(code);
  for (const k of Object.keys(value)) {
    if (!hasOwn(fields, k)) continue;
    w.keys.push(k);
    check(w, fields[k], value[k], name);
    w.keys.pop();
  }
}

/**
 * The fields of a built-in object whose JSON type is not the schema's, as causes with reason
 * `FieldValueTypeInvalid` and Go's decode message (`json: cannot unmarshal string into Go struct
 * field DeploymentSpec.spec.replicas of type int32`), and the bad quantities. Replaces `null`
 * list items and map values by their zero value in place. Empty for kinds without a schema.
 */
export function checkFieldTypes(kind: string, obj: unknown): StatusCause[] {
  const root = hasOwn(KIND_ROOTS, kind) ? KIND_ROOTS[kind] : undefined;
  if (!root) return [];
  const w: Walk = { causes: [], keys: [] };
  check(w, root, obj, '');
  return w.causes;
}
