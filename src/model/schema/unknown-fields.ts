/**
 * Strict field validation for built-in kinds: the fields of an object that the Kubernetes
 * schema does not have, reported as Kubernetes' warnings (`unknown field "spec.replica"`).
 */
import { KIND_ROOTS, KNOWN_TYPES } from './known-fields.generated.js';
import { isObject } from '../validation/common.js';
import { hasOwn } from '../json-value.js';

function walk(code: string, value: unknown, path: string, out: string[], prune = false): void {
  if (code === '' || value === null || value === undefined) return;
  if (code.startsWith('[]')) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(code.slice(2), item, `${path}[${i}]`, out, prune));
    return;
  }
  if (code.startsWith('{}')) {
    if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(code.slice(2), v, `${path}[${k}]`, out, prune);
    return;
  }
  const fields = hasOwn(KNOWN_TYPES, code) ? KNOWN_TYPES[code] : undefined;
  if (!fields || !isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    // Own fields only: `constructor` or `toString` is an unknown field, not Object's member.
    if (!hasOwn(fields, k)) {
      out.push(at);
      if (prune) delete value[k];
    } else walk(fields[k], v, at, out, prune);
  }
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
  walk(root, obj, '', paths);
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
  walk(root, obj, '', paths, true);
  return paths;
}
