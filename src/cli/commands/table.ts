/**
 * The plain table `tugboat get` prints: NAME and a few columns per kind (Deployments and Pods as
 * kubectl shows them, AGE for all), left-aligned in columns three spaces apart.
 */
import type { ResourceType } from '../../model/resource-type.js';
import type { KubeObject } from '../../model/types.js';

type Row = Record<string, string>;

/** kubectl's short age: 45s, 12m, 3h, 2d. */
export function age(created: string | undefined, now = Date.now()): string {
  if (!created) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

type Loose = any;

function columnsOf(kind: string, o: Loose): Row {
  const spec = o.spec ?? {};
  const status = o.status ?? {};
  switch (kind) {
    case 'Deployment':
      return {
        READY: `${status.readyReplicas ?? 0}/${spec.replicas ?? 1}`,
        'UP-TO-DATE': String(status.updatedReplicas ?? 0),
        AVAILABLE: String(status.availableReplicas ?? 0),
      };
    case 'Pod': {
      const containers: Loose[] = status.containerStatuses ?? [];
      const total = (spec.containers ?? []).length;
      const reason = o.metadata.deletionTimestamp ? 'Terminating' : (status.reason ?? status.phase ?? 'Pending');
      return {
        READY: `${containers.filter((c) => c.ready).length}/${total}`,
        STATUS: reason,
        RESTARTS: String(containers.reduce((n, c) => n + (c.restartCount ?? 0), 0)),
      };
    }
    case 'Node': {
      const ready = (status.conditions ?? []).find((c: Loose) => c.type === 'Ready');
      return { STATUS: ready?.status === 'True' ? 'Ready' : 'NotReady' };
    }
    case 'Service':
      return { TYPE: spec.type ?? 'ClusterIP', 'CLUSTER-IP': spec.clusterIP ?? '<none>' };
    case 'ConfigMap':
    case 'Secret':
      return { DATA: String(Object.keys(o.data ?? {}).length) };
    default:
      return {};
  }
}

/** The table of `items` of `type`, with a NAMESPACE column when listing all namespaces. */
export function tableOf(type: ResourceType, items: readonly KubeObject[], withNamespace: boolean, now = Date.now()): string {
  const rows: Row[] = items.map((o) => ({
    ...(withNamespace ? { NAMESPACE: o.metadata.namespace ?? '' } : {}),
    NAME: o.metadata.name ?? '',
    ...columnsOf(type.kind, o),
    AGE: age(o.metadata.creationTimestamp, now),
  }));
  const headers = Object.keys(rows[0] ?? { NAME: '' });
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return `${[line(headers), ...rows.map((r) => line(headers.map((h) => r[h] ?? '')))].join('\n')}\n`;
}
