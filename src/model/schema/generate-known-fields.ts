/**
 * Dev script: builds `known-fields.generated.ts`, the field tree of every built-in kind, from
 * the `kubernetes-types` declarations (themselves generated from Kubernetes' OpenAPI).
 * Run: `npx tsx src/model/schema/generate-known-fields.ts`. Not part of the library bundle.
 */
import ts from 'typescript';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The kinds to describe: kind -> [module of kubernetes-types, interface name]. */
const ROOTS: Record<string, [string, string]> = {
  Namespace: ['core/v1', 'Namespace'],
  Node: ['core/v1', 'Node'],
  Pod: ['core/v1', 'Pod'],
  ConfigMap: ['core/v1', 'ConfigMap'],
  Secret: ['core/v1', 'Secret'],
  Service: ['core/v1', 'Service'],
  Endpoints: ['core/v1', 'Endpoints'],
  PersistentVolume: ['core/v1', 'PersistentVolume'],
  PersistentVolumeClaim: ['core/v1', 'PersistentVolumeClaim'],
  Event: ['core/v1', 'Event'],
  EndpointSlice: ['discovery/v1', 'EndpointSlice'],
  Deployment: ['apps/v1', 'Deployment'],
  ReplicaSet: ['apps/v1', 'ReplicaSet'],
  StatefulSet: ['apps/v1', 'StatefulSet'],
  DaemonSet: ['apps/v1', 'DaemonSet'],
  ControllerRevision: ['apps/v1', 'ControllerRevision'],
  Job: ['batch/v1', 'Job'],
  CronJob: ['batch/v1', 'CronJob'],
  Ingress: ['networking/v1', 'Ingress'],
  IngressClass: ['networking/v1', 'IngressClass'],
  StorageClass: ['storage/v1', 'StorageClass'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  PodDisruptionBudget: ['policy/v1', 'PodDisruptionBudget'],
  Lease: ['coordination/v1', 'Lease'],
  PriorityClass: ['scheduling/v1', 'PriorityClass'],
  CustomResourceDefinition: ['apiextensions/v1', 'CustomResourceDefinition'],
};

const require = createRequire(import.meta.url);
const base = dirname(require.resolve('kubernetes-types/package.json'));
const files = [...new Set(Object.values(ROOTS).map(([m]) => join(base, `${m}.d.ts`)))];
const program = ts.createProgram(files, { strict: true, noEmit: true });
const checker = program.getTypeChecker();
const defs: Record<string, Record<string, string>> = {};

function typeName(sym: ts.Symbol): string {
  const file = sym.declarations?.[0]?.getSourceFile().fileName ?? '';
  const mod = file.slice(base.length + 1).replace(/\.d\.ts$/, '').replace('/', '.');
  return `${mod}.${sym.getName()}`;
}

function encode(type: ts.Type): string {
  if (type.isUnion()) {
    const rest = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (rest.length !== 1) return '';
    type = rest[0];
  }
  if (checker.isArrayType(type)) {
    const inner = encode(checker.getTypeArguments(type as ts.TypeReference)[0]);
    return inner ? `[]${inner}` : '';
  }
  if (!(type.flags & ts.TypeFlags.Object)) return '';
  const props = checker.getPropertiesOfType(type);
  if (props.length === 0) {
    const value = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    const inner = value ? encode(value) : '';
    return inner ? `{}${inner}` : '';
  }
  const sym = type.getSymbol() ?? type.aliasSymbol;
  if (!sym) return '';
  const name = typeName(sym);
  if (defs[name]) return name;
  const fields: Record<string, string> = {};
  defs[name] = fields;
  for (const p of props) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (!decl) continue;
    fields[p.getName()] = encode(checker.getTypeOfSymbolAtLocation(p, decl));
  }
  return name;
}

const roots: Record<string, string> = {};
for (const [kind, [mod, iface]] of Object.entries(ROOTS)) {
  const sf = program.getSourceFile(join(base, `${mod}.d.ts`));
  const sym = sf && checker.getSymbolAtLocation(sf)?.exports?.get(ts.escapeLeadingUnderscores(iface));
  if (!sym) throw new Error(`no ${iface} in ${mod}`);
  roots[kind] = encode(checker.getDeclaredTypeOfSymbol(sym));
}

// kubernetes-types leaves out the x-kubernetes-* schema extensions; CRDs use them.
const EXTENSIONS = ['embedded-resource', 'int-or-string', 'list-map-keys', 'list-type', 'map-type', 'preserve-unknown-fields', 'validations'];
for (const ext of EXTENSIONS) defs['apiextensions.v1.JSONSchemaProps'][`x-kubernetes-${ext}`] = '';

const sorted = Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b)));
const out = `/**
 * Known fields of the built-in kinds, generated from kubernetes-types by generate-known-fields.ts.
 * Do not edit. A field's code is '' (a scalar or free-form value), a type name, '[]' + code
 * (a list of) or '{}' + code (a map of).
 */

/** Kind -> the type name of its root object. */
export const KIND_ROOTS: Readonly<Record<string, string>> = ${JSON.stringify(roots)};

/** Type name -> its fields and their codes. */
export const KNOWN_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(sorted)};
`;
const target = join(dirname(fileURLToPath(import.meta.url)), 'known-fields.generated.ts');
writeFileSync(target, out);
console.log(`wrote ${Object.keys(sorted).length} types to ${target} (${out.length} bytes)`);
