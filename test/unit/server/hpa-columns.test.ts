import { describe, expect, it } from 'vitest';
import { hpaTargets } from '../../../src/server/hpa-columns.js';
import { columnsOf } from '../../../src/server/table.js';

const hpaType = { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' } as never;
const cpu = (averageUtilization?: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', ...(averageUtilization === undefined ? {} : { averageUtilization }) } },
});

describe('HorizontalPodAutoscaler Table columns (kube-apiserver printHorizontalPodAutoscaler)', () => {
  it('has NAME, REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS, AGE and their cells', () => {
    const columns = columnsOf(hpaType);
    expect(columns.map((c) => c.name)).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
    const hpa = {
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [cpu(80)],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }],
      },
    };
    expect(columns.map((c) => c.cell(hpa, Date.parse('2026-01-01T00:05:00Z')))).toEqual([
      'web',
      'Deployment/web',
      'cpu: 40%/80%',
      '2',
      10,
      3,
      '5m',
    ]);
    const bare = { metadata: { name: 'b' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 4 } };
    expect(columns.slice(1, 6).map((c) => c.cell(bare, 0))).toEqual(['Deployment/x', '<none>', '<unset>', 4, 0]);
  });

  it('formats each metric type as formatHPAMetrics does', () => {
    const t = (metrics: unknown[], currentMetrics?: unknown[]) => hpaTargets({ spec: { metrics }, status: { currentMetrics } });
    expect(t([cpu(80)])).toBe('cpu: <unknown>/80%');
    expect(t([cpu()])).toBe('cpu: <unknown>/<auto>');
    expect(t([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }])).toBe(
      'memory: <unknown>/500Mi',
    );
    expect(
      t(
        [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }],
        [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } }],
      ),
    ).toBe('memory: 300Mi/500Mi');
    expect(
      t([
        {
          type: 'ContainerResource',
          containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ]),
    ).toBe('cpu: <unknown>/60%');
    expect(
      t(
        [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } }],
        [{ type: 'Pods', pods: { current: { averageValue: '800' } } }],
      ),
    ).toBe('800/1k');
    expect(t([{ type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '10' } } }])).toBe('<unknown>/10');
    expect(t([{ type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '5' } } }])).toBe(
      '<unknown>/5 (avg)',
    );
    expect(
      t(
        [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }],
        [{ type: 'External', external: { current: { value: '12' } } }],
      ),
    ).toBe('12/30');
    expect(t([{ type: 'Nope' }])).toBe('<unknown type>');
    expect(t([cpu(80), cpu(70), cpu(60), cpu(50)])).toBe('cpu: <unknown>/80%, cpu: <unknown>/70% + 2 more...');
  });

  it('prints an autoscaling/v1 object as its v2 form', () => {
    const v1 = { spec: { targetCPUUtilizationPercentage: 75 }, status: { currentCPUUtilizationPercentage: 20 } };
    expect(hpaTargets(v1)).toBe('cpu: 20%/75%');
    expect(hpaTargets({ spec: { targetCPUUtilizationPercentage: 75 }, status: {} })).toBe('cpu: <unknown>/75%');
  });
});
