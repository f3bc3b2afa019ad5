import type * as T from '../model/types.js';
import type { PodClient, ResourceClient } from '../client/types.js';

/**
 * Typed shorthands for the built-in kinds: `cluster.pods('web')`, `cluster.deployments()`, ...
 * Namespaced ones take a namespace (default 'default'; `''` for all namespaces).
 */
export abstract class TypedClients {
  protected abstract clientFor<O extends T.KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<O>;

  /** Namespaces (cluster-scoped). */
  namespaces(): ResourceClient<T.Namespace> {
    return this.clientFor('v1', 'Namespace');
  }
  /** Nodes (cluster-scoped). */
  nodes(): ResourceClient<T.Node> {
    return this.clientFor('v1', 'Node');
  }
  /** Pods of a namespace, with `evict(name)` (the pods/eviction subresource). */
  pods(namespace?: string): PodClient {
    return this.clientFor('v1', 'Pod', namespace) as PodClient;
  }
  /** ConfigMaps of a namespace. */
  configMaps(namespace?: string): ResourceClient<T.ConfigMap> {
    return this.clientFor('v1', 'ConfigMap', namespace);
  }
  /** Secrets of a namespace. */
  secrets(namespace?: string): ResourceClient<T.Secret> {
    return this.clientFor('v1', 'Secret', namespace);
  }
  /** Services of a namespace. */
  services(namespace?: string): ResourceClient<T.Service> {
    return this.clientFor('v1', 'Service', namespace);
  }
  /** Endpoints of a namespace. */
  endpoints(namespace?: string): ResourceClient<T.Endpoints> {
    return this.clientFor('v1', 'Endpoints', namespace);
  }
  /** EndpointSlices of a namespace. */
  endpointSlices(namespace?: string): ResourceClient<T.EndpointSlice> {
    return this.clientFor('discovery.k8s.io/v1', 'EndpointSlice', namespace);
  }
  /** Deployments of a namespace. */
  deployments(namespace?: string): ResourceClient<T.Deployment> {
    return this.clientFor('apps/v1', 'Deployment', namespace);
  }
  /** ReplicaSets of a namespace. */
  replicaSets(namespace?: string): ResourceClient<T.ReplicaSet> {
    return this.clientFor('apps/v1', 'ReplicaSet', namespace);
  }
  /** ReplicationControllers of a namespace. */
  replicationControllers(namespace?: string): ResourceClient<T.ReplicationController> {
    return this.clientFor('v1', 'ReplicationController', namespace);
  }
  /** StatefulSets of a namespace. */
  statefulSets(namespace?: string): ResourceClient<T.StatefulSet> {
    return this.clientFor('apps/v1', 'StatefulSet', namespace);
  }
  /** DaemonSets of a namespace. */
  daemonSets(namespace?: string): ResourceClient<T.DaemonSet> {
    return this.clientFor('apps/v1', 'DaemonSet', namespace);
  }
  /** ControllerRevisions of a namespace. */
  controllerRevisions(namespace?: string): ResourceClient<T.ControllerRevision> {
    return this.clientFor('apps/v1', 'ControllerRevision', namespace);
  }
  /** Jobs of a namespace. */
  jobs(namespace?: string): ResourceClient<T.Job> {
    return this.clientFor('batch/v1', 'Job', namespace);
  }
  /** CronJobs of a namespace. */
  cronJobs(namespace?: string): ResourceClient<T.CronJob> {
    return this.clientFor('batch/v1', 'CronJob', namespace);
  }
  /** Ingresses of a namespace. */
  ingresses(namespace?: string): ResourceClient<T.Ingress> {
    return this.clientFor('networking.k8s.io/v1', 'Ingress', namespace);
  }
  /** IngressClasses (cluster-scoped). */
  ingressClasses(): ResourceClient<T.IngressClass> {
    return this.clientFor('networking.k8s.io/v1', 'IngressClass');
  }
  /** PersistentVolumes (cluster-scoped). */
  persistentVolumes(): ResourceClient<T.PersistentVolume> {
    return this.clientFor('v1', 'PersistentVolume');
  }
  /** PersistentVolumeClaims of a namespace. */
  persistentVolumeClaims(namespace?: string): ResourceClient<T.PersistentVolumeClaim> {
    return this.clientFor('v1', 'PersistentVolumeClaim', namespace);
  }
  /** StorageClasses (cluster-scoped). */
  storageClasses(): ResourceClient<T.StorageClass> {
    return this.clientFor('storage.k8s.io/v1', 'StorageClass');
  }
  /** HorizontalPodAutoscalers of a namespace. */
  horizontalPodAutoscalers(namespace?: string): ResourceClient<T.HorizontalPodAutoscaler> {
    return this.clientFor('autoscaling/v2', 'HorizontalPodAutoscaler', namespace);
  }
  /** PodDisruptionBudgets of a namespace. */
  podDisruptionBudgets(namespace?: string): ResourceClient<T.PodDisruptionBudget> {
    return this.clientFor('policy/v1', 'PodDisruptionBudget', namespace);
  }
  /** Leases of a namespace (node heartbeats live in kube-node-lease). */
  leases(namespace?: string): ResourceClient<T.Lease> {
    return this.clientFor('coordination.k8s.io/v1', 'Lease', namespace);
  }
  /** PriorityClasses (cluster-scoped). */
  priorityClasses(): ResourceClient<T.PriorityClass> {
    return this.clientFor('scheduling.k8s.io/v1', 'PriorityClass');
  }
  /** CustomResourceDefinitions (cluster-scoped). */
  customResourceDefinitions(): ResourceClient<T.CustomResourceDefinition> {
    return this.clientFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  }
}
