/**
 * Conversion between the two served versions of HorizontalPodAutoscaler (Kubernetes'
 * pkg/apis/autoscaling/v1 conversion): autoscaling/v1's targetCPUUtilizationPercentage is a v2
 * Resource metric on cpu with an Utilization target (80% when absent), and v2's status becomes
 * v1's currentCPUUtilizationPercentage. v1 has no behavior: Kubernetes' defaults apply.
 */
import type { autoscaling, autoscalingv1, HorizontalPodAutoscaler, KubeObject } from './types.js';

/** An autoscaling/v1 HorizontalPodAutoscaler. */
export type HorizontalPodAutoscalerV1 = KubeObject & {
  spec?: autoscalingv1.HorizontalPodAutoscalerSpec;
  status?: autoscalingv1.HorizontalPodAutoscalerStatus;
};

/** The autoscaling/v2 form of a v1 HPA (spec, and status where v1 has it). */
export function hpaV1ToV2(hpa: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const spec = hpa.spec;
  const s = hpa.status;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: hpa.metadata,
    spec: {
      scaleTargetRef: spec?.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: spec?.minReplicas ?? 1,
      maxReplicas: spec?.maxReplicas ?? 0,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec?.targetCPUUtilizationPercentage ?? 80 } },
        },
      ],
    },
    ...(s
      ? {
          status: {
            currentReplicas: s.currentReplicas,
            desiredReplicas: s.desiredReplicas,
            ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
            ...(s.lastScaleTime ? { lastScaleTime: s.lastScaleTime } : {}),
          },
        }
      : {}),
  };
}

/** The autoscaling/v1 status of a v2 status: the cpu utilization of the first cpu Resource metric. */
export function hpaStatusV2ToV1(status: autoscaling.HorizontalPodAutoscalerStatus): autoscalingv1.HorizontalPodAutoscalerStatus {
  const cpu = status.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  return {
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas,
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}),
    ...(cpu !== undefined ? { currentCPUUtilizationPercentage: cpu } : {}),
  };
}
