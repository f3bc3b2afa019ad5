/**
 * Dev script: builds `known-fields.generated.ts`, the field tree of every built-in kind with each
 * field's type, from the `kubernetes-types` declarations (themselves generated from Kubernetes'
 * OpenAPI). TypeScript's `number` does not say int32 from int64, so the OpenAPI formats come from
 * the models of `@kubernetes/client-node` (generated from the same OpenAPI; only the formats of
 * fields kubernetes-types has are read, and those do not change between releases).
 * Run: `npm i --no-save @kubernetes/client-node@1.0.0 && npx tsx src/model/schema/generate-known-fields.ts`.
 * Not part of the library bundle.
 */
import ts from 'typescript';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The kinds to describe: kind -> [module of kubernetes-types, interface name]. A second served
 * version of a kind is keyed `Kind@group/version` (see schemaKeyOf in unknown-fields.ts).
 */
const ROOTS: Record<string, [string, string]> = {
  Namespace: ['core/v1', 'Namespace'],
  Node: ['core/v1', 'Node'],
  Pod: ['core/v1', 'Pod'],
  ConfigMap: ['core/v1', 'ConfigMap'],
  Secret: ['core/v1', 'Secret'],
  Service: ['core/v1', 'Service'],
  Endpoints: ['core/v1', 'Endpoints'],
  ReplicationController: ['core/v1', 'ReplicationController'],
  PersistentVolume: ['core/v1', 'PersistentVolume'],
  PersistentVolumeClaim: ['core/v1', 'PersistentVolumeClaim'],
  Event: ['core/v1', 'Event'],
  ServiceAccount: ['core/v1', 'ServiceAccount'],
  LimitRange: ['core/v1', 'LimitRange'],
  ResourceQuota: ['core/v1', 'ResourceQuota'],
  NetworkPolicy: ['networking/v1', 'NetworkPolicy'],
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
  VolumeAttachment: ['storage/v1', 'VolumeAttachment'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  'HorizontalPodAutoscaler@autoscaling/v1': ['autoscaling/v1', 'HorizontalPodAutoscaler'],
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
const modelsDir = join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist/gen/models');
let unformatted = 0;

/** The OpenAPI format of each field of a type (`replicas` -> `int32`), from client-node's model. */
function formatsOf(name: string): Record<string, string> {
  const [group, version, kind] = name.split('.');
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  const g = group.charAt(0).toUpperCase() + group.slice(1);
  for (const cls of [`${v}${kind}`, `${g}${v}${kind}`]) {
    const file = join(modelsDir, `${cls}.js`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const out: Record<string, string> = {};
    const re = /"baseName": "([^"]+)",\s*"type": "[^"]*",\s*"format": "([^"]*)"/g;
    for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[2];
    return out;
  }
  return {};
}

/** The scalar code of a number field with an OpenAPI format. */
function numberCode(format: string | undefined): string {
  if (format === 'int32' || format === 'int64' || format === 'double') return format;
  unformatted++;
  return 'number';
}

function typeName(sym: ts.Symbol): string {
  const file = sym.declarations?.[0]?.getSourceFile().fileName ?? '';
  const mod = file
    .slice(base.length + 1)
    .replace(/\.d\.ts$/, '')
    .replace('/', '.');
  return `${mod}.${sym.getName()}`;
}

/** The type node of a list's items or a map's values, to follow `Quantity` through them. */
function innerNode(node: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!node) return undefined;
  if (ts.isArrayTypeNode(node)) return node.elementType;
  if (ts.isTypeReferenceNode(node)) return node.typeArguments?.[0];
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    return index?.type;
  }
  return undefined;
}

/**
 * A field's code: a scalar (`string`, `int32`, `int64`, `double`, `number`, `boolean`,
 * `intstr`, `quantity`), a type name, `[]` + code, `{}` + code, or '' (free-form).
 */
function encode(type: ts.Type, node?: ts.TypeNode, format?: string): string {
  if (node && ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Quantity') return 'quantity';
  if (type.isUnion()) {
    const rest = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    const flags = rest.map((t) => t.flags);
    if (rest.length === 2 && flags.some((f) => f & ts.TypeFlags.Number) && flags.some((f) => f & ts.TypeFlags.String)) return 'intstr';
    if (rest.length === 2 && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return 'boolean';
    if (rest.length !== 1) return '';
    type = rest[0];
  }
  if (type.flags & ts.TypeFlags.String) return 'string';
  if (type.flags & ts.TypeFlags.Number) return numberCode(format);
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
  if (checker.isArrayType(type)) {
    const inner = encode(checker.getTypeArguments(type as ts.TypeReference)[0], innerNode(node), format);
    return inner ? `[]${inner}` : '';
  }
  if (!(type.flags & ts.TypeFlags.Object)) return '';
  const props = checker.getPropertiesOfType(type);
  if (props.length === 0) {
    const value = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    const inner = value ? encode(value, innerNode(node), format) : '';
    return inner ? `{}${inner}` : '';
  }
  const sym = type.getSymbol() ?? type.aliasSymbol;
  if (!sym) return '';
  const name = typeName(sym);
  if (defs[name]) return name;
  const fields: Record<string, string> = {};
  defs[name] = fields;
  const formats = formatsOf(name);
  for (const p of props) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (!decl) continue;
    const typeNode = ts.isPropertySignature(decl) ? decl.type : undefined;
    fields[p.getName()] = encode(checker.getTypeOfSymbolAtLocation(p, decl), typeNode, formats[p.getName()]);
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
const EXTENSIONS: Record<string, string> = {
  'embedded-resource': 'boolean',
  'int-or-string': 'boolean',
  'list-map-keys': '[]string',
  'list-type': 'string',
  'map-type': 'string',
  'preserve-unknown-fields': 'boolean',
  validations: '',
};
for (const [ext, code] of Object.entries(EXTENSIONS)) defs['apiextensions.v1.JSONSchemaProps'][`x-kubernetes-${ext}`] = code;

const sorted = Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b)));
const out = `/**
 * Known fields of the built-in kinds, generated from kubernetes-types by generate-known-fields.ts.
 * Do not edit. A field's code is a scalar (\`string\`, \`int32\`, \`int64\`, \`double\`, \`number\`,
 * \`boolean\`, \`intstr\` (an IntOrString), \`quantity\`), '' (a free-form value), a type name,
 * '[]' + code (a list of) or '{}' + code (a map of).
 */

/** Kind -> the type name of its root object. */
export const KIND_ROOTS: Readonly<Record<string, string>> = ${JSON.stringify(roots)};

/** Type name -> its fields and their codes. */
export const KNOWN_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(sorted)};
`;
const target = join(dirname(fileURLToPath(import.meta.url)), 'known-fields.generated.ts');
writeFileSync(target, out);
console.log(
  `wrote ${Object.keys(sorted).length} types to ${target} (${out.length} bytes; ${unformatted} numbers without an OpenAPI format)`,
);
