/**
 * Server-side printing: objects as a meta.k8s.io/v1 Table, which `kubectl get` asks for by its
 * Accept header (`as=Table`) and prints as is.
 */
import type { KubeObject } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
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
  if (printerColumns?.length) {
    return [
      DEFAULT_COLUMNS[0],
      ...printerColumns.map(
        (c): Column => ({
          name: c.name,
          type: c.type === 'integer' ? 'integer' : 'string',
          priority: c.priority ?? 0,
          description: c.description,
          cell: (o, now) => {
            const v = jsonPath(o, c.jsonPath);
            if (c.type === 'date' && typeof v === 'string') return age(v, now);
            return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : (v as string | number);
          },
        }),
      ),
    ];
  }
  return DEFAULT_COLUMNS;
}

/** A CRD's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
}

/** Reads a simple JSONPath (`.spec.replicas`, `.status.conditions[0].type`) of an object. */
function jsonPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur === undefined || cur === null) return undefined;
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) cur = cur[m[1]];
    for (const idx of m[2].match(/\d+/g) ?? []) cur = cur?.[Number(idx)];
  }
  return cur;
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
            format: c === columns[0] && c.name === 'Name' ? 'name' : '',
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
