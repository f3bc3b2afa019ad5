/**
 * autoscaling/v1 <-> v2 HorizontalPodAutoscaler conversion, as Kubernetes'
 * pkg/apis/autoscaling/v1/conversion.go: what v1 cannot say travels in annotations and comes back.
 */
import { describe, expect, it } from 'vitest';
import { hpaV1ToV2, hpaV2ToV1, type HorizontalPodAutoscalerV1 } from '../../../src/model/hpa-conversion.js';
import type { HorizontalPodAutoscaler } from '../../../src/model/types.js';
import {
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_METRICS_ANNOTATION,
} from '../../../src/model/well-known.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const v2 = (
  spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>>,
  status?: HorizontalPodAutoscaler['status'],
): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
  spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, ...spec },
  ...(status ? { status } : {}),
});
const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });

describe('HorizontalPodAutoscaler autoscaling/v1 <-> v2', () => {
  it('a cpu utilization target is targetCPUUtilizationPercentage, with no annotation', () => {
    const v1 = hpaV2ToV1(v2({ metrics: [cpu(55)] }));
    expect(v1).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 55 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
    expect(hpaV1ToV2(v1).spec?.metrics).toEqual([cpu(55)]);
  });

  it('a v1 HPA without a target gets cpu at 80%, and minReplicas 1', () => {
    const back = hpaV1ToV2({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'x' },
      spec: { scaleTargetRef: ref, maxReplicas: 3 },
    });
    expect(back.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, metrics: [cpu(80)] });
  });

  it('other metrics, current metrics, conditions and behavior round-trip through the annotations', () => {
    const metrics = [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
      cpu(60),
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
          metric: { name: 'hits', selector: { matchLabels: { a: 'b' } } },
          target: { type: 'Value', value: '2k' },
        },
      },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
      {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ];
    const behavior = {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    };
    const status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      observedGeneration: 4,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '12' } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' },
      ],
    };
    const original = v2({ metrics, behavior }, status);
    const v1 = hpaV2ToV1(original);
    expect(v1.spec?.targetCPUUtilizationPercentage).toBe(60);
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, observedGeneration: 4, currentCPUUtilizationPercentage: 90 });
    const a = v1.metadata.annotations ?? {};
    // Go's autoscaling/v1 MetricSpec shape, and the internal behavior's Go field names.
    expect(JSON.parse(a[HPA_METRICS_ANNOTATION]!)[0]).toEqual({
      type: 'Resource',
      resource: { name: 'memory', targetAverageValue: '100Mi' },
    });
    expect(JSON.parse(a[HPA_METRICS_ANNOTATION]!)[1]).toEqual({ type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '10' } });
    expect(JSON.parse(a[HPA_BEHAVIOR_ANNOTATION]!).ScaleUp.Policies).toEqual([{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }]);
    expect(JSON.parse(a[HPA_CURRENT_METRICS_ANNOTATION]!)[0]).toEqual({
      type: 'Resource',
      resource: { name: 'cpu', currentAverageUtilization: 90, currentAverageValue: '450m' },
    });
    expect(JSON.parse(a[HPA_CONDITIONS_ANNOTATION]!)).toEqual(status.conditions);
    expect(a.team).toBe('a');

    const back = hpaV1ToV2(v1);
    // The annotation's metrics first, then the cpu target (Kubernetes' order).
    expect(back.spec?.metrics).toEqual([...metrics.filter((m) => m !== metrics[1]), cpu(60)]);
    expect(back.spec?.behavior).toEqual(behavior);
    expect(back.status?.currentMetrics).toEqual(status.currentMetrics);
    expect(back.status?.conditions).toEqual(status.conditions);
    expect(back.metadata.annotations).toEqual({ team: 'a' });
  });

  it('round-trip annotations a v2 object carries are not kept on its v1 form', () => {
    const stale = v2({ metrics: [cpu(50)] });
    stale.metadata.annotations = { [HPA_METRICS_ANNOTATION]: '[]', [HPA_BEHAVIOR_ANNOTATION]: '{}' };
    expect(hpaV2ToV1(stale).metadata.annotations).toBeUndefined();
  });

  it('an annotation that is not a JSON list is a BadRequest naming it; a malformed behavior is ignored, as Kubernetes does', () => {
    const bad = (annotations: Record<string, string>): HorizontalPodAutoscalerV1 => ({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'x', annotations },
      spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 40 },
    });
    expect(() => hpaV1ToV2(bad({ [HPA_METRICS_ANNOTATION]: 'nope' }))).toThrow(
      /metadata\.annotations\[autoscaling\.alpha\.kubernetes\.io\/metrics\]/,
    );
    expect(() => hpaV1ToV2(bad({ [HPA_CONDITIONS_ANNOTATION]: '{"a":1}' }))).toThrow(/conditions\]: Invalid value/);
    const ignored = hpaV1ToV2(bad({ [HPA_BEHAVIOR_ANNOTATION]: 'nope' }));
    expect(ignored.spec?.behavior).toBeUndefined();
    expect(ignored.metadata.annotations).toBeUndefined();
  });
});
