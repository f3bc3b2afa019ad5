import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';

/** What `apply` accepts: YAML or JSON text (many documents), one object, or a list of them. */
export type ManifestInput = string | KubeObject | readonly KubeObject[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Decodes manifests into objects: multi-document YAML, JSON, `kind: List` (flattened), or objects.
 * Empty documents are skipped. A document that is not an object with apiVersion and kind fails
 * BadRequest naming the document.
 */
export function decodeManifests(input: ManifestInput): KubeObject[] {
  const raw: unknown[] = [];
  if (typeof input === 'string') {
    const docs = parseAllDocuments(input);
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, i) => {
      if (doc.errors.length > 0) {
        throw TugboatError.badRequest(`document ${i}: invalid YAML: ${doc.errors[0].message}`);
      }
      const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
      if (value !== null && value !== undefined) raw.push(value);
    });
  } else if (Array.isArray(input)) {
    raw.push(...input);
  } else {
    raw.push(input);
  }
  const out: KubeObject[] = [];
  const visit = (value: unknown, where: string): void => {
    if (!isObject(value)) throw TugboatError.badRequest(`${where}: expected an object, got ${value === null ? 'null' : typeof value}`);
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, j) => visit(item, `${where}.items[${j}]`));
      return;
    }
    if (typeof value.apiVersion !== 'string' || !value.apiVersion) throw TugboatError.badRequest(`${where}.apiVersion: Required value`);
    if (typeof value.kind !== 'string' || !value.kind) throw TugboatError.badRequest(`${where}.kind: Required value`);
    if (value.metadata !== undefined && !isObject(value.metadata)) throw TugboatError.badRequest(`${where}.metadata: expected an object`);
    out.push(structuredClone({ ...value, metadata: value.metadata ?? {} }) as unknown as KubeObject);
  };
  raw.forEach((v, i) => visit(v, `document ${i}`));
  return out;
}

/** The order apply writes kinds in: namespaces and CRDs before what lives in or depends on them. */
export function applyOrder(obj: KubeObject): number {
  if (obj.kind === 'Namespace') return 0;
  if (obj.kind === 'CustomResourceDefinition') return 1;
  if (obj.kind === 'PriorityClass' || obj.kind === 'StorageClass' || obj.kind === 'IngressClass') return 2;
  if (obj.kind === 'ConfigMap' || obj.kind === 'Secret' || obj.kind === 'ServiceAccount') return 3;
  return 4;
}
