/**
 * The OpenAPI v2 and v3 documents kubectl reads (`kubectl explain`, and the patch strategies of
 * client-side apply), generated from the field schemas tugboat has for its built-in kinds
 * (model/schema's known fields) and the CRDs' own structural schemas (openapi-crd.ts). The built-in
 * kinds' field descriptions are not carried: explain shows each field's name and type; a CRD's
 * descriptions are.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../model/resource-type.js';
import { KIND_ROOTS, KNOWN_TYPES } from '../model/schema/known-fields.generated.js';
import { schemaKeyOf } from '../model/schema/unknown-fields.js';
import { MERGE_KEYS } from '../api/patch.js';
import { crdSchema, crdSchemaName } from './openapi-crd.js';

/** Kubernetes' schema name of one of tugboat's type names (`apps.v1.Deployment`). */
export function schemaName(typeName: string): string {
  const [group] = typeName.split('.');
  if (group === 'meta') return `io.k8s.apimachinery.pkg.apis.${typeName}`;
  if (group === 'apiextensions') return `io.k8s.apiextensions-apiserver.pkg.apis.${typeName}`;
  return `io.k8s.api.${typeName}`;
}

const SCALARS: Record<string, object> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  number: { type: 'number', format: 'double' },
  boolean: { type: 'boolean' },
  intstr: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
  quantity: { type: 'string', description: 'A quantity: 100m, 2Gi, 1.5' },
};

function schemaOf(code: string, field: string, ref: (name: string) => string, reached: Set<string>): Record<string, unknown> {
  if (code === '')
    return field === 'apiVersion' || field === 'kind' ? { type: 'string' } : { 'x-kubernetes-preserve-unknown-fields': true };
  if (code.startsWith('[]')) {
    const item = code.slice(2);
    const key = MERGE_KEYS[field];
    const patch = key && KNOWN_TYPES[item] ? { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge' } : {};
    return { type: 'array', items: schemaOf(item, '', ref, reached), ...patch };
  }
  if (code.startsWith('{}')) return { type: 'object', additionalProperties: schemaOf(code.slice(2), '', ref, reached) };
  if (SCALARS[code]) return { ...SCALARS[code] };
  reached.add(code);
  return { $ref: ref(schemaName(code)) };
}

/** The schemas of the given root types, of the given custom kinds, and of every type they reach. */
function schemas(
  roots: { typeName: string; type?: ResourceType }[],
  ref: (name: string) => string,
  v3: boolean,
  custom: readonly ResourceType[] = [],
): Record<string, object> {
  const out: Record<string, object> = {};
  const todo = roots.map((r) => r.typeName);
  for (const t of custom) out[crdSchemaName(t)] = crdSchema(t, ref(schemaName(OBJECT_META)), v3);
  if (custom.length) todo.push(OBJECT_META);
  const gvk = new Map(roots.filter((r) => r.type).map((r) => [r.typeName, r.type!]));
  const seen = new Set<string>();
  while (todo.length) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const fields = KNOWN_TYPES[name];
    if (!fields) continue;
    const reached = new Set<string>();
    const properties: Record<string, unknown> = {};
    for (const [f, code] of Object.entries(fields)) properties[f] = schemaOf(code, f, ref, reached);
    const t = gvk.get(name);
    out[schemaName(name)] = {
      type: 'object',
      properties,
      ...(t ? { 'x-kubernetes-group-version-kind': [{ group: t.group, kind: t.kind, version: t.version }] } : {}),
      ...(t ? { description: `${t.kind} (${t.group || 'core'}/${t.version}), served by tugboat.` } : {}),
    };
    for (const r of reached) todo.push(r);
  }
  return out;
}

const OBJECT_META = 'meta.v1.ObjectMeta';

/** The kinds CRDs define. */
const customOf = (types: readonly ResourceType[]) => types.filter((t) => t.custom);

/** The schema name of a kind's root in the documents, if they have one. */
function rootSchemaOf(t: ResourceType): string | undefined {
  if (t.custom) return crdSchemaName(t);
  const root = rootOf(t);
  return root ? schemaName(root) : undefined;
}

/** The root type name of a kind's schema at its version (`autoscaling.v1.HorizontalPodAutoscaler`). */
function rootOf(t: ResourceType): string | undefined {
  return KIND_ROOTS[schemaKeyOf(t)];
}

function rootsOf(types: readonly ResourceType[]): { typeName: string; type: ResourceType }[] {
  return types
    .filter((t) => !t.custom && rootOf(t)?.startsWith(`${t.group.split('.')[0] || 'core'}.`))
    .map((t) => ({ typeName: rootOf(t)!, type: t }));
}

/** GET /openapi/v2: one Swagger 2.0 document of every kind served (CRDs' included). */
export function openApiV2(types: readonly ResourceType[]): object {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.30.0-tugboat' },
    paths: {},
    definitions: schemas(rootsOf(types), (n) => `#/definitions/${n}`, false, customOf(types)),
  };
}

/** The group/version path of a kind in the v3 index: `api/v1` or `apis/apps/v1`. */
function gvPath(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;
}

/** GET /openapi/v3: the index of group/version documents. */
export function openApiV3Index(types: readonly ResourceType[]): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of types) {
    const p = gvPath(t);
    if (paths[p]) continue;
    const hash = createHash('sha256')
      .update(JSON.stringify(openApiV3Document(types, p)))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

/**
 * The paths of each kind, each operation tagged with its kind and carrying the write parameters:
 * kubectl finds a resource's schema through them (explain) and checks that the server validates
 * fields itself (fieldValidation) before it skips client-side validation.
 */
function pathsOf(types: readonly ResourceType[], ref: (name: string) => string): Record<string, object> {
  const out: Record<string, object> = {};
  for (const t of types) {
    const root = rootSchemaOf(t);
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const base = `/${gvPath(t)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    const response = root
      ? { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: ref(root) } } } } }
      : { '200': { description: 'OK' } };
    const op = (action: string, params = true) => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...(params ? { parameters: QUERY_PARAMS } : {}),
      responses: response,
    });
    out[base] = { get: op('list', false), post: op('post'), delete: op('deletecollection') };
    out[`${base}/{name}`] = { get: op('get', false), put: op('put'), patch: op('patch'), delete: op('delete') };
  }
  return out;
}

/** GET /openapi/v3/api/v1 or /openapi/v3/apis/G/V: one group/version's schemas; undefined if none. */
export function openApiV3Document(types: readonly ResourceType[], path: string): object | undefined {
  const inGv = types.filter((t) => gvPath(t) === path.replace(/^\/+|\/+$/g, ''));
  if (!inGv.length) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.30.0-tugboat' },
    paths: pathsOf(inGv, (n) => `#/components/schemas/${n}`),
    components: { schemas: schemas(rootsOf(inGv), (n) => `#/components/schemas/${n}`, true, customOf(inGv)) },
  };
}
