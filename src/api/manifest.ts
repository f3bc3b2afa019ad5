import { Composer, Parser } from 'yaml';
import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { isJsonObject as isObject, toJsonValue } from '../model/json-value.js';
import { duplicateFieldPaths, duplicatesUnder } from './duplicate-fields.js';
import { KUBECTL_YAML_OPTIONS, kubectlTokens } from './kubectl-yaml.js';

/** What `apply` accepts: YAML or JSON text (many documents), one object, or a list of them. */
export type ManifestInput = string | KubeObject | readonly KubeObject[];

/**
 * The largest manifest text `apply` parses: 3 MiB, the API server's limit on a request body.
 * A larger text is refused before parsing (split it, or apply its objects one by one), so parsing
 * never holds the event loop for long.
 */
export const MAX_MANIFEST_BYTES = 3 * 1024 * 1024;

/** How many aliases a YAML document may expand (a bound against alias bombs). */
const MAX_YAML_ALIASES = 100;

/** How long parsing may hold the event loop before {@link decodeManifestsYielding} yields. */
const SLICE_MS = 10;

function tooLarge(text: string): TugboatError | undefined {
  if (text.length <= MAX_MANIFEST_BYTES) return undefined;
  return TugboatError.tooLarge(`the manifest is ${text.length} bytes, more than the limit of ${MAX_MANIFEST_BYTES}: apply it in parts`);
}

/**
 * The values of the documents of YAML (or JSON) text, one at a time, so a caller can yield
 * between documents. JSON text takes JSON.parse's fast path. Every failure is a BadRequest.
 */
function* parseYaml(text: string, duplicates?: string[][]): Generator<unknown> {
  const big = tooLarge(text);
  if (big) throw big;
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      // Not one JSON value (e.g. YAML flow style, or several documents): the YAML parser decides.
    }
    if (parsed) {
      duplicates?.push([]); // JSON.parse keeps the last of repeated keys and does not say so
      yield value;
      return;
    }
  }
  let i = 0;
  try {
    // YAML 1.1 as kubectl reads it (kubectl-yaml.ts). Repeated keys: the last wins (as Kubernetes'
    // decoder), reported per the write's fieldValidation.
    const composer = new Composer(KUBECTL_YAML_OPTIONS);
    for (const doc of composer.compose(kubectlTokens(new Parser().parse(text)), true)) {
      if (doc.errors.length > 0) throw TugboatError.badRequest(`document ${i}: invalid YAML: ${doc.errors[0].message}`);
      // toJS fails for an alias to an undefined anchor or too many aliases (a bomb).
      const value: unknown = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
      if (value !== null && value !== undefined) {
        duplicates?.push(duplicateFieldPaths(doc.contents));
        yield value;
      }
      i++;
    }
  } catch (err) {
    if (TugboatError.is(err)) throw err;
    throw TugboatError.badRequest(`document ${i}: invalid YAML: ${(err as Error).message}`);
  }
}

/**
 * Decodes manifests into objects: multi-document YAML, JSON, `kind: List` (flattened), or objects.
 * Empty documents are skipped. A document that is not an object with apiVersion and kind, or that
 * JSON cannot hold (a cycle from a self-referencing YAML anchor, nesting deeper than the API
 * allows), fails BadRequest naming the document; text over {@link MAX_MANIFEST_BYTES} fails
 * RequestEntityTooLarge before it is parsed. A key repeated in one mapping of the text keeps its
 * last value; `duplicates`, when given, receives each object's repeated fields.
 */
export function decodeManifests(input: ManifestInput, duplicates?: string[][]): KubeObject[] {
  const raw: unknown[] = [];
  const rawDuplicates: string[][] = [];
  if (typeof input === 'string') {
    for (const value of parseYaml(input, rawDuplicates)) raw.push(value);
  } else if (Array.isArray(input)) {
    raw.push(...input);
  } else {
    raw.push(input);
  }
  return decodeValues(raw, rawDuplicates, duplicates);
}

/**
 * The objects of decoded documents; when `duplicates` is given, it receives the fields each
 * object's text gave twice (`duplicates[i]` for object i), from `rawDuplicates` (per document).
 */
function decodeValues(raw: unknown[], rawDuplicates: string[][], duplicates?: string[][]): KubeObject[] {
  const out: KubeObject[] = [];
  const visit = (value: unknown, where: string, dups: string[]): void => {
    if (isObject(value)) value = toJsonValue(value, where);
    if (!isObject(value))
      throw TugboatError.badRequest(
        `${where}: expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
      );
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, j) => visit(item, `${where}.items[${j}]`, duplicatesUnder(dups, `items[${j}]`)));
      return;
    }
    if (typeof value.apiVersion !== 'string' || !value.apiVersion) throw TugboatError.badRequest(`${where}.apiVersion: Required value`);
    if (typeof value.kind !== 'string' || !value.kind) throw TugboatError.badRequest(`${where}.kind: Required value`);
    if (value.metadata !== undefined && !isObject(value.metadata)) throw TugboatError.badRequest(`${where}.metadata: expected an object`);
    out.push({ ...value, metadata: value.metadata ?? {} } as unknown as KubeObject);
    duplicates?.push(dups);
  };
  raw.forEach((v, i) => visit(v, `document ${i}`, rawDuplicates[i] ?? []));
  return out;
}

/**
 * {@link decodeManifests} for text, yielding to the event loop between documents whenever
 * parsing has held it for about 10 ms, so a large manifest never stalls timers, probes and
 * controllers for longer than its largest document takes to parse.
 */
export async function decodeManifestsYielding(input: ManifestInput, duplicates?: string[][]): Promise<KubeObject[]> {
  if (typeof input !== 'string') return decodeManifests(input, duplicates);
  const values: unknown[] = [];
  const rawDuplicates: string[][] = [];
  let since = performance.now();
  for (const value of parseYaml(input, rawDuplicates)) {
    values.push(value);
    if (performance.now() - since > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return decodeValues(values, rawDuplicates, duplicates);
}

/** The order apply writes kinds in: namespaces and CRDs before what lives in or depends on them. */
export function applyOrder(obj: KubeObject): number {
  if (obj.kind === 'Namespace') return 0;
  if (obj.kind === 'CustomResourceDefinition') return 1;
  if (obj.kind === 'PriorityClass' || obj.kind === 'StorageClass' || obj.kind === 'IngressClass') return 2;
  if (obj.kind === 'ConfigMap' || obj.kind === 'Secret' || obj.kind === 'ServiceAccount') return 3;
  return 4;
}
