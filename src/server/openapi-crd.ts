/**
 * A custom resource's schema in the OpenAPI documents, from its CRD's structural schema (as the
 * apiextensions server's openapi builder publishes it): named by reversed group, version and kind
 * (`com.example.stable.v1.CronTab`), with apiVersion, kind and a metadata reference to ObjectMeta,
 * descriptions kept. Swagger 2.0 lacks what OpenAPI v3 adds (nullable, anyOf/oneOf/allOf/not), so
 * v2 drops those as kube-apiserver does.
 */
import type { ResourceType } from '../model/resource-type.js';

/** The schema name of a custom resource: `com.example.stable.v1.CronTab` for stable.example.com/v1 CronTab. */
export function crdSchemaName(t: Pick<ResourceType, 'group' | 'version' | 'kind'>): string {
  return `${t.group.split('.').reverse().join('.')}.${t.version}.${t.kind}`;
}

const V3_ONLY = new Set(['nullable', 'anyOf', 'oneOf', 'allOf', 'not']);
const NESTED = new Set(['items', 'additionalProperties', 'not']);

/** One schema node converted for a document version; properties and items recursively. */
function convert(node: unknown, v3: boolean): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (!v3 && V3_ONLY.has(k)) continue;
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions')
      out[k] = Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([p, s]) => [p, convert(s, v3)]));
    else if (NESTED.has(k)) out[k] = convert(v, v3);
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map((s) => convert(s, v3));
    else out[k] = v;
  }
  return out;
}

/** The root schema of a custom resource; `ref` names ObjectMeta's schema in the document. */
export function crdSchema(t: ResourceType, objectMetaRef: string, v3: boolean): Record<string, unknown> {
  const schema = convert(t.custom?.schema ?? { type: 'object' }, v3) as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    type: 'object',
    properties: {
      ...properties,
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
      },
      metadata: { $ref: objectMetaRef },
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, kind: t.kind, version: t.version }],
  };
}
