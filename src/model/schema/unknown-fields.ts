/**
 * Strict field validation for built-in kinds: the fields of an object that the Kubernetes
 * schema does not have, reported as Kubernetes' warnings (`unknown field "spec.replica"`).
 */
import { KIND_ROOTS, KNOWN_TYPES } from './known-fields.generated.js';
import { isObject } from '../validation/common.js';
import { hasOwn } from '../json-value.js';

/**
 * The path walked so far, as segments pushed and popped on the way (no string is built unless a
 * field is unknown: this walk runs on every write of every object). A string segment is a
 * field name, a number an array index, and a `{key}` entry of a map is kept as `[key]` text.
 */
interface PathStack {
  segments: (string | number)[];
  /** Parallel to segments: true for a map key (printed in brackets). */
  mapKeys: boolean[];
}

function pathText(stack: PathStack, last: string): string {
  let out = '';
  const { segments, mapKeys } = stack;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (mapKeys[i]) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out ? `${out}.${last}` : last;
}

function walk(code: string, value: unknown, stack: PathStack, out: string[], prune: boolean): void {
  if (code === '' || value === null || value === undefined) return;
  if (code.startsWith('[]')) {
    if (!Array.isArray(value)) return;
    const inner = code.slice(2);
    for (let i = 0; i < value.length; i++) {
      stack.segments.push(i);
      stack.mapKeys.push(false);
      walk(inner, value[i], stack, out, prune);
      stack.segments.pop();
      stack.mapKeys.pop();
    }
    return;
  }
  if (code.startsWith('{}')) {
    if (!isObject(value)) return;
    const inner = code.slice(2);
    for (const k of Object.keys(value)) {
      stack.segments.push(k);
      stack.mapKeys.push(true);
      walk(inner, value[k], stack, out, prune);
      stack.segments.pop();
      stack.mapKeys.pop();
    }
    return;
  }
  const fields = hasOwn(KNOWN_TYPES, code) ? KNOWN_TYPES[code] : undefined;
  if (!fields || !isObject(value)) return;
  for (const k of Object.keys(value)) {
    // Own fields only: `constructor` or `toString` is an unknown field, not Object's member.
    if (!hasOwn(fields, k)) {
      out.push(pathText(stack, k));
      if (prune) delete value[k];
      continue;
    }
    const sub = fields[k];
    const v = value[k];
    // Leaves (scalars, or no schema below) need no path.
    if (sub === '' || v === null || typeof v !== 'object') continue;
    stack.segments.push(k);
    stack.mapKeys.push(false);
    walk(sub, v, stack, out, prune);
    stack.segments.pop();
    stack.mapKeys.pop();
  }
}

function walkRoot(code: string, obj: unknown, out: string[], prune: boolean): void {
  walk(code, obj, { segments: [], mapKeys: [] }, out, prune);
}

/**
 * The key of a kind's field schema in the known fields: `Kind@group/version` for a second served
 * version of a built-in kind (autoscaling/v1 HorizontalPodAutoscaler), else the kind.
 */
export function schemaKeyOf(type: { group: string; version: string; kind: string }): string {
  const versioned = `${type.kind}@${type.group ? `${type.group}/` : ''}${type.version}`;
  return hasOwn(KIND_ROOTS, versioned) ? versioned : type.kind;
}

/** True when tugboat has a field schema for the kind (every built-in kind). */
export function hasKnownFields(kind: string): boolean {
  return hasOwn(KIND_ROOTS, kind);
}

/**
 * The fields of `obj` that Kubernetes' schema for `kind` lacks, as warnings
 * (`unknown field "spec.template.spec.containers[0].imagePolicy"`). Empty for kinds without a
 * built-in schema (custom resources are checked against their CRD instead).
 */
export function findUnknownFields(kind: string, obj: unknown): string[] {
  const root = hasOwn(KIND_ROOTS, kind) ? KIND_ROOTS[kind] : undefined;
  if (!root) return [];
  const paths: string[] = [];
  walkRoot(root, obj, paths, false);
  return paths.map((p) => `unknown field "${p}"`);
}

/**
 * Removes from `obj` (in place) the fields that Kubernetes' schema for `kind` lacks, as
 * decoding into Kubernetes' types drops them; returns their paths (`spec.replica`). Nothing for
 * kinds without a built-in schema.
 */
export function pruneUnknownFields(kind: string, obj: unknown): string[] {
  const root = hasOwn(KIND_ROOTS, kind) ? KIND_ROOTS[kind] : undefined;
  if (!root) return [];
  const paths: string[] = [];
  walkRoot(root, obj, paths, true);
  return paths;
}
