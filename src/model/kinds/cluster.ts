/** The remaining built-in kinds: networking, discovery, storage, autoscaling, policy, coordination, scheduling. */
import type * as t from '../types.js';
import { defineKind } from './define-kind.js';
import type { ResourceType } from '../resource-type.js';
import { hpaV1ToV2, hpaV2ToV1, type HorizontalPodAutoscalerV1 } from '../hpa-conversion.js';
import { defaultEndpointSlice } from '../defaults/service.js';
import { defaultHorizontalPodAutoscaler, defaultPriorityClass, defaultStorageClass } from '../defaults/cluster.js';
import { validateIngress } from '../validation/ingress.js';
import { validateIngressClass, validateIngressClassUpdate } from '../validation/ingress-class.js';
import { validateHorizontalPodAutoscaler, validatePodDisruptionBudget, validatePriorityClass } from '../validation/cluster.js';

const sub = { nameFormat: 'dns1123-subdomain' } as const;

/** EndpointSlice (discovery.k8s.io/v1). */
export const EndpointSliceType = defineKind<t.EndpointSlice>(
  {
    ...sub,
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    singular: 'endpointslice',
    namespaced: true,
    hasStatus: false,
  },
  { defaults: defaultEndpointSlice },
);

/** Ingress (networking.k8s.io/v1). */
export const IngressType = defineKind<t.Ingress>(
  {
    ...sub,
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    singular: 'ingress',
    shortNames: ['ing'],
    namespaced: true,
    hasStatus: true,
  },
  { validate: validateIngress },
);

/** IngressClass (networking.k8s.io/v1, cluster-scoped). */
export const IngressClassType = defineKind<t.IngressClass>(
  {
    ...sub,
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    namespaced: false,
    hasStatus: false,
  },
  { validate: validateIngressClass, validateUpdate: validateIngressClassUpdate },
);

/** StorageClass (storage.k8s.io/v1, cluster-scoped). */
export const StorageClassType = defineKind<t.StorageClass>(
  {
    ...sub,
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    singular: 'storageclass',
    shortNames: ['sc'],
    namespaced: false,
    hasStatus: false,
  },
  { defaults: defaultStorageClass },
);

/** VolumeAttachment (storage.k8s.io/v1, cluster-scoped): written by the attach-detach controller. */
export const VolumeAttachmentType = defineKind<t.VolumeAttachment>({
  ...sub,
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  hasStatus: true,
});

/** HorizontalPodAutoscaler (autoscaling/v2). */
export const HorizontalPodAutoscalerType = defineKind<t.HorizontalPodAutoscaler>(
  {
    ...sub,
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    shortNames: ['hpa'],
    namespaced: true,
    hasStatus: true,
  },
  { defaults: defaultHorizontalPodAutoscaler, validate: validateHorizontalPodAutoscaler },
);

/**
 * HorizontalPodAutoscaler (autoscaling/v1): served beside autoscaling/v2 (the preferred and
 * storage version), its objects stored, defaulted and validated as v2 and converted on the way in
 * and out (targetCPUUtilizationPercentage; the rest in autoscaling.alpha.kubernetes.io
 * annotations).
 */
export const HorizontalPodAutoscalerV1Type = defineKind<HorizontalPodAutoscalerV1>({
  ...sub,
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  namespaced: true,
  hasStatus: true,
  conversion: {
    storage: HorizontalPodAutoscalerType as unknown as ResourceType,
    toStorage: (obj) => hpaV1ToV2(obj as HorizontalPodAutoscalerV1),
    fromStorage: (obj) => hpaV2ToV1(obj as t.HorizontalPodAutoscaler),
  },
});

/** PodDisruptionBudget (policy/v1). */
export const PodDisruptionBudgetType = defineKind<t.PodDisruptionBudget>(
  {
    ...sub,
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    shortNames: ['pdb'],
    namespaced: true,
    hasStatus: true,
  },
  { validate: validatePodDisruptionBudget },
);

/** Lease (coordination.k8s.io/v1): node heartbeats and leader election. */
export const LeaseType = defineKind<t.Lease>({
  ...sub,
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  hasStatus: false,
});

/** PriorityClass (scheduling.k8s.io/v1, cluster-scoped). */
export const PriorityClassType = defineKind<t.PriorityClass>(
  {
    ...sub,
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    singular: 'priorityclass',
    shortNames: ['pc'],
    namespaced: false,
    hasStatus: false,
  },
  { defaults: defaultPriorityClass, validate: validatePriorityClass },
);
