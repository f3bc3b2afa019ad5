/**
 * Server-side printing: objects as a meta.k8s.io/v1 Table, which `kubectl get` asks for by its
 * Accept header (`as=Table`) and prints as is.
 */
import type { KubeObject } from '../model/types.js';
import type { PrinterColumn, ResourceType } from '../model/resource-type.js';
import { evaluateJsonPath } from './json-path.js';
import { COLUMNS, DEFAULT_COLUMNS, type Column } from './table-columns.js';
import { age } from './human-duration.js';

/** What a Table row carries besides its cells (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The Content-Type of a Table response. */
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** True when an Accept header asks for a Table (meta.k8s.io v1 or v1beta1). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** The columns of a kind: kubectl's for the common kinds, a CRD's printer columns, or name and age. */
export function columnsOf(type: ResourceType, printerColumns?: readonly PrinterColumn[]): readonly Column[] {
  const builtin = COLUMNS[`${type.group}/${type.kind}`];
  if (builtin) return builtin;
  if (printerColumns?.length) return [DEFAULT_COLUMNS[0], ...printerColumns.map(printerColumn)];
  return DEFAULT_COLUMNS;
}

/** A CRD printer column as kube-apiserver's CRD table convertor prints it. */
function printerColumn(c: PrinterColumn): Column {
  return {
    name: c.name,
    type: (['integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as Column['type'],
    ...(c.format ? { format: c.format } : {}),
    priority: c.priority ?? 0,
    description: c.description,
    cell: (o, now) => {
      const v = evaluateJsonPath(o, c.jsonPath);
      return v === undefined ? null : cellOf(c.type, v, now);
    },
  };
}

/** A JSON value as a cell of a column type (apiextensions' cellForJSONValue); null when it does not fit. */
function cellOf(type: string, v: unknown, nowMs: number): string | number | boolean | null {
  if (v === null) return null;
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      if (typeof v !== 'string') return null;
      return Number.isNaN(Date.parse(v)) ? '<invalid>' : age(v, nowMs);
    default:
      // jsonpath's text output: strings as they are, other values as JSON.
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function rowObject(obj: KubeObject, include: IncludeObject): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** Objects of one kind as a Table. */
export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  options: {
    nowMs: number;
    include?: IncludeObject;
    resourceVersion?: string;
    continue?: string;
    noHeaders?: boolean;
    printerColumns?: readonly PrinterColumn[];
  },
): object {
  const columns = columnsOf(type, options.printerColumns);
  const include = options.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
    },
    ...(options.noHeaders
      ? {}
      : {
          columnDefinitions: columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c === columns[0] && c.name === 'Name' ? 'name' : (c.format ?? ''),
            description: c.description ?? '',
            priority: c.priority ?? 0,
          })),
        }),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, options.nowMs)),
      ...(rowObject(o, include) ? { object: rowObject(o, include) } : {}),
    })),
  };
}
