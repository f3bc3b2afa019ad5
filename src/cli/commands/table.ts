/**
 * The table `tugboat get` prints, from the same printer columns the API server's Tables use
 * (src/server/table-columns.ts, kube-apiserver's printers): priority-0 columns, all of them with
 * `-o wide`; headers upper-cased and cells left-aligned three spaces apart, as kubectl's printer.
 */
import type { ResourceType } from '../../model/resource-type.js';
import type { KubeObject } from '../../model/types.js';
import { columnsOf } from '../../server/table.js';

/** Options of {@link tableOf}. */
export interface TableOptions {
  /** A NAMESPACE column first (listing all namespaces). */
  withNamespace: boolean;
  /** The priority-1 columns too, as `-o wide`. */
  wide?: boolean;
  /** The time ages are computed at (ms since the epoch). */
  nowMs?: number;
}

/** The table of `items` of `type`. */
export function tableOf(type: ResourceType, items: readonly KubeObject[], options: TableOptions): string {
  const nowMs = options.nowMs ?? Date.now();
  const columns = columnsOf(type).filter((c) => options.wide || !c.priority);
  const headers = [...(options.withNamespace ? ['NAMESPACE'] : []), ...columns.map((c) => c.name.toUpperCase())];
  const rows = items.map((o) => [
    ...(options.withNamespace ? [o.metadata.namespace ?? ''] : []),
    ...columns.map((c) => String(c.cell(o, nowMs))),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}
