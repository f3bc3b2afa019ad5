/**
 * Typed kind references: `kinds.Deployment` names a kind (apiVersion and kind) and carries its
 * object type, so `ctx.client(kinds.Deployment, 'web')` is a `ResourceClient<Deployment>` and
 * `ctx.cache.list(kinds.Pod)` a `Pod[]` without a type argument.
 */
import type {
  ConfigMap,
  ControllerRevision,
  CronJob,
  CustomResourceDefinition,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  Event,
  HorizontalPodAutoscaler,
  Ingress,
  IngressClass,
  Job,
  KubeObject,
  Lease,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  PriorityClass,
  ReplicaSet,
  ReplicationController,
  Secret,
  Service,
  StatefulSet,
  StorageClass,
  VolumeAttachment,
} from '../model/types.js';
import type { ApiContext } from './types.js';
import type { APIService, LimitRange, NetworkPolicy, ResourceQuota, ServiceAccount } from '../model/kinds/policy-kinds.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../model/kinds/rbac.js';

/**
 * A kind, named as Kubernetes names it (`apps/v1`, `Deployment`). `T` is the type of its objects:
 * a phantom (nothing of it exists at run time) that lets clients and caches infer their type.
 * A plain `{ apiVersion, kind }` object is a `KindRef<KubeObject>`; make typed ones with
 * {@link kindRef}, or use the built-in ones in {@link kinds}.
 */
export interface KindRef<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  /** Never set: carries the object type `T` for inference only. */
  readonly objectType?: T;
}

/**
 * A typed reference to a kind, e.g. for a CRD's:
 * `const Widget = kindRef<Widget>('example.com/v1', 'Widget')`.
 */
export function kindRef<T extends KubeObject>(apiVersion: string, kind: string): KindRef<T> {
  return Object.freeze({ apiVersion, kind });
}

/**
 * The built-in kinds as typed references: pass them wherever a kind is named
 * (`ctx.client(kinds.Pod, ns)`, `ctx.cache.get(kinds.Deployment, ns, name)`, a controller's
 * `for: kinds.ReplicaSet`).
 */
export const kinds = Object.freeze({
  Namespace: kindRef<Namespace>('v1', 'Namespace'),
  Node: kindRef<Node>('v1', 'Node'),
  Pod: kindRef<Pod>('v1', 'Pod'),
  ConfigMap: kindRef<ConfigMap>('v1', 'ConfigMap'),
  Secret: kindRef<Secret>('v1', 'Secret'),
  Service: kindRef<Service>('v1', 'Service'),
  Endpoints: kindRef<Endpoints>('v1', 'Endpoints'),
  PersistentVolume: kindRef<PersistentVolume>('v1', 'PersistentVolume'),
  PersistentVolumeClaim: kindRef<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim'),
  Event: kindRef<Event>('v1', 'Event'),
  ServiceAccount: kindRef<ServiceAccount>('v1', 'ServiceAccount'),
  LimitRange: kindRef<LimitRange>('v1', 'LimitRange'),
  ResourceQuota: kindRef<ResourceQuota>('v1', 'ResourceQuota'),
  NetworkPolicy: kindRef<NetworkPolicy>('networking.k8s.io/v1', 'NetworkPolicy'),
  APIService: kindRef<APIService>('apiregistration.k8s.io/v1', 'APIService'),
  Role: kindRef<Role>('rbac.authorization.k8s.io/v1', 'Role'),
  ClusterRole: kindRef<ClusterRole>('rbac.authorization.k8s.io/v1', 'ClusterRole'),
  RoleBinding: kindRef<RoleBinding>('rbac.authorization.k8s.io/v1', 'RoleBinding'),
  ClusterRoleBinding: kindRef<ClusterRoleBinding>('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
  EndpointSlice: kindRef<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice'),
  Deployment: kindRef<Deployment>('apps/v1', 'Deployment'),
  ReplicaSet: kindRef<ReplicaSet>('apps/v1', 'ReplicaSet'),
  ReplicationController: kindRef<ReplicationController>('v1', 'ReplicationController'),
  StatefulSet: kindRef<StatefulSet>('apps/v1', 'StatefulSet'),
  DaemonSet: kindRef<DaemonSet>('apps/v1', 'DaemonSet'),
  ControllerRevision: kindRef<ControllerRevision>('apps/v1', 'ControllerRevision'),
  Job: kindRef<Job>('batch/v1', 'Job'),
  CronJob: kindRef<CronJob>('batch/v1', 'CronJob'),
  Ingress: kindRef<Ingress>('networking.k8s.io/v1', 'Ingress'),
  IngressClass: kindRef<IngressClass>('networking.k8s.io/v1', 'IngressClass'),
  StorageClass: kindRef<StorageClass>('storage.k8s.io/v1', 'StorageClass'),
  VolumeAttachment: kindRef<VolumeAttachment>('storage.k8s.io/v1', 'VolumeAttachment'),
  HorizontalPodAutoscaler: kindRef<HorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler'),
  PodDisruptionBudget: kindRef<PodDisruptionBudget>('policy/v1', 'PodDisruptionBudget'),
  Lease: kindRef<Lease>('coordination.k8s.io/v1', 'Lease'),
  PriorityClass: kindRef<PriorityClass>('scheduling.k8s.io/v1', 'PriorityClass'),
  CustomResourceDefinition: kindRef<CustomResourceDefinition>('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
});

/** The `apiVersion/kind` key of a kind (one informer per key). */
export function kindKey(ref: KindRef<KubeObject>): string {
  return `${ref.apiVersion}/${ref.kind}`;
}

/** True when `x` is a kind reference (an object with apiVersion and kind), not a string. */
export function isKindRef(x: unknown): x is KindRef<KubeObject> {
  return typeof x === 'object' && x !== null && typeof (x as KindRef).apiVersion === 'string' && typeof (x as KindRef).kind === 'string';
}

/**
 * Splits the arguments of a call that names a kind either way, `(ref, ...rest)` or
 * `(apiVersion, kind, ...rest)`, into the kind and the rest. For implementers of the cache readers.
 */
export function splitKindArgs(args: readonly unknown[]): { ref: KindRef<KubeObject>; rest: unknown[] } {
  if (isKindRef(args[0])) return { ref: args[0], rest: args.slice(1) };
  return { ref: { apiVersion: String(args[0]), kind: String(args[1]) }, rest: args.slice(2) };
}

/**
 * Normalizes the two call forms of `client(...)`: `(ref, namespace?)` and
 * `(apiVersion, kind, namespace?)`. For implementers of {@link ApiContext}.
 */
export function clientArgs(
  refOrApiVersion: KindRef<KubeObject> | string,
  kindOrNamespace?: string,
  namespace?: string,
): { apiVersion: string; kind: string; namespace: string | undefined } {
  if (isKindRef(refOrApiVersion)) return { apiVersion: refOrApiVersion.apiVersion, kind: refOrApiVersion.kind, namespace: kindOrNamespace };
  return { apiVersion: refOrApiVersion, kind: kindOrNamespace ?? '', namespace };
}
