/**
 * Custom resource schemas (a CRD version's `openAPIV3Schema`): compiling with ajv, mapping
 * ajv errors to Kubernetes field causes, finding unknown fields, pruning and defaulting.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { StatusCause } from '../types.js';
import { invalid, notSupported, required } from '../validation/field-errors.js';
import { isObject } from '../validation/common.js';
import { re2Pattern } from './re2-pattern.js';

/** An OpenAPI v3 schema node as CRDs write it (JSONSchemaProps), open for extensions. */
export type SchemaNode = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
};

// Patterns are RE2 (Go's regexp), compiled by re2js: re2-pattern.ts.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false, code: { regExp: re2Pattern } });

/** Rewrites Kubernetes extensions into plain JSON Schema that ajv understands. */
function toAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toAjv);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'default' || k === 'example' || k === 'enum') out[k] = v;
    else if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(isObject(v) ? v : {}).map(([p, s]) => [p, toAjv(s)]));
    } else out[k] = toAjv(v);
  }
  if (node['x-kubernetes-int-or-string'] === true && out.type === undefined) {
    const { nullable, ...rest } = out;
    return { ...rest, anyOf: [{ type: 'integer' }, { type: 'string' }, ...(nullable ? [{ type: 'null' }] : [])] };
  }
  return out;
}

/** The schema of an embedded object without its metadata, which Kubernetes checks separately. */
function withoutMetadata(schema: SchemaNode): SchemaNode {
  if (!schema.properties?.metadata) return schema;
  const { metadata: _m, ...properties } = schema.properties;
  return { ...schema, properties };
}

/** Compiles a CRD schema; throws an Error with ajv's message when the schema is not valid. */
export function compileSchema(schema: SchemaNode): ValidateFunction {
  return ajv.compile(toAjv(withoutMetadata(schema)) as object);
}

function fieldPath(instancePath: string, obj: unknown): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let cur: unknown = obj;
  for (const p of parts) {
    if (Array.isArray(cur)) path += `[${p}]`;
    else path += path ? `.${p}` : p;
    cur = isObject(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[p] : undefined;
  }
  return path;
}

function valueAt(instancePath: string, obj: unknown): unknown {
  let cur: unknown = obj;
  for (const p of instancePath.split('/').slice(1))
    cur = isObject(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Maps ajv errors to causes with Kubernetes field paths (`spec.replicas`). */
export function ajvErrorsToCauses(errors: ErrorObject[] | null | undefined, obj: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  const all = errors ?? [];
  const branch = (e: ErrorObject, a: ErrorObject) => e.instancePath === a.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`);
  const alternatives = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  for (const e of all) {
    if (e.keyword === 'if' || alternatives.some((a) => a !== e && branch(e, a))) continue;
    const field = fieldPath(e.instancePath, obj);
    const value = valueAt(e.instancePath, obj);
    const where = field || 'body';
    let cause: StatusCause;
    switch (e.keyword) {
      case 'anyOf':
      case 'oneOf': {
        const branches = all.filter((b) => branch(b, e));
        const types = branches.every((b) => b.keyword === 'type') ? branches.map((b) => (b.params as { type: string }).type) : [];
        cause = types.length
          ? invalid(where, jsonType(value), `${where} in body must be of type ${types.join(' or ')}: "${jsonType(value)}"`)
          : invalid(where, value, `${where} in body ${e.message ?? 'is invalid'}`);
        break;
      }
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        cause = required(field ? `${field}.${missing}` : missing);
        break;
      }
      case 'type':
        cause = invalid(
          where,
          jsonType(value),
          `${where} in body must be of type ${(e.params as { type: string }).type}: "${jsonType(value)}"`,
        );
        break;
      case 'enum':
        cause = notSupported(where, value, ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String));
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        cause = invalid(
          where,
          value,
          `${where} in body should be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${(e.params as { limit: number }).limit}`,
        );
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        cause = invalid(
          where,
          value,
          `${where} in body should be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${(e.params as { limit: number }).limit}`,
        );
        break;
      case 'pattern':
        cause = invalid(where, value, `${where} in body should match '${(e.params as { pattern: string }).pattern}'`);
        break;
      default:
        cause = invalid(where, value, `${where} in body ${e.message ?? 'is invalid'}`);
    }
    const key = `${cause.field}|${cause.message}`;
    if (!seen.has(key)) causes.push(cause);
    seen.add(key);
  }
  return causes;
}

function allowsUnknown(schema: SchemaNode): boolean {
  return (
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    (schema.type !== 'object' && schema.properties === undefined && schema.additionalProperties === undefined)
  );
}

function walkUnknown(schema: SchemaNode | undefined, value: unknown, path: string, out: string[], prune: boolean): void {
  if (!schema || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => walkUnknown(schema.items, v, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isObject(value)) return;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const prop = schema.properties?.[k];
    if (prop) walkUnknown(prop, v, at, out, prune);
    else if (isObject(schema.additionalProperties)) walkUnknown(schema.additionalProperties, v, `${path}[${k}]`, out, prune);
    else if (schema.additionalProperties === true || allowsUnknown(schema)) continue;
    else {
      out.push(at);
      if (prune) delete value[k];
    }
  }
}

/**
 * Fields of a custom resource that its schema does not declare (and that no
 * `x-kubernetes-preserve-unknown-fields` keeps), as `unknown field "spec.foo"` warnings.
 * With `prune`, also removes them from `obj` in place, as Kubernetes' pruning does.
 */
export function unknownCustomFields(schema: SchemaNode, obj: Record<string, unknown>, prune = false): string[] {
  return unknownCustomPaths(schema, obj, prune).map((p) => `unknown field "${p}"`);
}

/** The paths of {@link unknownCustomFields} (`spec.colour`); with `prune`, removed from `obj` in place. */
export function unknownCustomPaths(schema: SchemaNode, obj: Record<string, unknown>, prune = false): string[] {
  const root: SchemaNode = {
    ...schema,
    properties: {
      ...(schema.properties ?? {}),
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  const out: string[] = [];
  walkUnknown(root, obj, '', out, prune);
  return out;
}

/** Applies a schema's `default` values to missing properties of existing objects, in place. */
export function applySchemaDefaults(schema: SchemaNode | undefined, value: unknown): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const v of value) applySchemaDefaults(schema.items, v);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (value[k] === undefined && prop.default !== undefined) value[k] = structuredClone(prop.default);
    applySchemaDefaults(prop, value[k]);
  }
  if (isObject(schema.additionalProperties)) for (const v of Object.values(value)) applySchemaDefaults(schema.additionalProperties, v);
}
