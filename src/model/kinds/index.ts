/** The built-in kinds tugboat serves, each a ResourceType. */
import type { ResourceType } from '../resource-type.js';
import * as core from './core.js';
import * as apps from './apps-batch.js';
import * as cluster from './cluster.js';
import { CustomResourceDefinitionType } from './apiextensions.js';
import * as rbac from './rbac.js';
import { ReplicationControllerType } from './replication-controller.js';
import * as policy from './policy-kinds.js';

export * from './core.js';
export * from './apps-batch.js';
export * from './cluster.js';
export { CustomResourceDefinitionType } from './apiextensions.js';
export * from './rbac.js';
export { ReplicationControllerType } from './replication-controller.js';
export * from './policy-kinds.js';
export { defineKind, validateBuiltin, type KindRules, type KindNames } from './define-kind.js';

/** Every built-in kind, in a stable order (core, apps, batch, others, CRDs). */
export const BUILTIN_KINDS: ResourceType[] = [
  core.NamespaceType,
  core.NodeType,
  core.PodType,
  core.ConfigMapType,
  core.SecretType,
  core.ServiceType,
  core.EndpointsType,
  core.PersistentVolumeType,
  core.PersistentVolumeClaimType,
  core.EventType,
  ReplicationControllerType as unknown as ResourceType,
  policy.ServiceAccountType,
  policy.LimitRangeType,
  policy.ResourceQuotaType,
  policy.NetworkPolicyType,
  policy.APIServiceType as unknown as ResourceType,
  cluster.EndpointSliceType,
  apps.DeploymentType,
  apps.ReplicaSetType,
  apps.StatefulSetType,
  apps.DaemonSetType,
  apps.ControllerRevisionType,
  apps.JobType,
  apps.CronJobType,
  cluster.IngressType,
  cluster.IngressClassType,
  cluster.StorageClassType,
  cluster.VolumeAttachmentType,
  cluster.HorizontalPodAutoscalerType,
  cluster.HorizontalPodAutoscalerV1Type as unknown as ResourceType,
  cluster.PodDisruptionBudgetType,
  cluster.LeaseType,
  cluster.PriorityClassType,
  rbac.RoleType,
  rbac.ClusterRoleType,
  rbac.RoleBindingType,
  rbac.ClusterRoleBindingType,
  CustomResourceDefinitionType as unknown as ResourceType,
] as ResourceType[];
