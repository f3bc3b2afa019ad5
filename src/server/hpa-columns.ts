/**
 * The columns kube-apiserver prints for a HorizontalPodAutoscaler between NAME and AGE
 * (printHorizontalPodAutoscaler): REFERENCE, TARGETS (formatHPAMetrics: each metric's current and
 * target value, `cpu: 40%/80%`, `<unknown>/80%` until measured, two shown then `+ N more...`),
 * MINPODS, MAXPODS, REPLICAS. An autoscaling/v1 object prints as its v2 form does.
 */
import type { Column } from './table-columns.js';

const UNKNOWN = '<unknown>';

/** The metrics of an HPA in v2's shape; a v1 object's CPU target as the Resource metric it converts to. */
function metricsOf(hpa: any): { specs: any[]; statuses: any[] } {
  if (hpa?.spec?.metrics || hpa?.spec?.targetCPUUtilizationPercentage === undefined) {
    return { specs: hpa?.spec?.metrics ?? [], statuses: hpa?.status?.currentMetrics ?? [] };
  }
  const current = hpa.status?.currentCPUUtilizationPercentage;
  return {
    specs: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.spec.targetCPUUtilizationPercentage } },
      },
    ],
    statuses: current === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
  };
}

const text = (v: unknown): string => (v === undefined || v === null ? UNKNOWN : String(v));
const percent = (v: unknown): string | undefined => (typeof v === 'number' ? `${v}%` : undefined);

/** One metric as formatHPAMetrics prints it; `status` is the currentMetrics entry at the same index. */
function metricText(spec: any, status: any): string {
  switch (spec?.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = spec[key]?.target ?? {};
      const current = status?.[key]?.current;
      if (target.averageValue !== undefined) return `${text(current?.averageValue)}/${target.averageValue} (avg)`;
      return `${status?.[key] ? text(current?.value) : UNKNOWN}/${text(target.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? text(status.pods.current?.averageValue) : UNKNOWN}/${text(spec.pods?.target?.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const source = spec[key] ?? {};
      const current = status?.[key]?.current;
      if (source.target?.averageValue !== undefined)
        return `${source.name}: ${status?.[key] ? text(current?.averageValue) : UNKNOWN}/${source.target.averageValue}`;
      return `${source.name}: ${percent(current?.averageUtilization) ?? UNKNOWN}/${percent(source.target?.averageUtilization) ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The TARGETS cell of an HPA. */
export function hpaTargets(hpa: unknown): string {
  const { specs, statuses } = metricsOf(hpa);
  if (!specs.length) return '<none>';
  const shown = specs.slice(0, 2).map((s, i) => metricText(s, statuses[i]));
  return specs.length > 2 ? `${shown.join(', ')} + ${specs.length - 2} more...` : shown.join(', ');
}

/** REFERENCE to REPLICAS. */
export const HPA_COLUMNS: readonly Column[] = [
  { name: 'Reference', type: 'string', cell: (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}` },
  { name: 'Targets', type: 'string', cell: (o) => hpaTargets(o) },
  { name: 'MinPods', type: 'string', cell: (o) => (o.spec?.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas)) },
  { name: 'MaxPods', type: 'string', cell: (o) => o.spec?.maxReplicas ?? 0 },
  { name: 'Replicas', type: 'string', cell: (o) => o.status?.currentReplicas ?? 0 },
];
