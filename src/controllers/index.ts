/**
 * The controller runtime and the built-in workload controllers (ReplicaSet, Deployment, DaemonSet, StatefulSet, Job, CronJob, node
 * lifecycle). Exported as `tugboat/controllers`.
 */
export { ControllerManager, type ControllerManagerOptions } from './runtime/controller-manager.js';
export type {
  Controller,
  ReconcileRequest,
  ReconcileResult,
  ReconcileContext,
  CacheReader,
  CacheListOptions,
  Logger,
  ControllerSetup,
  ObservedChange,
  WatchSource,
} from './runtime/types.js';
export { terminalError, isTerminalError, TerminalError } from './runtime/terminal-error.js';
export { WorkQueue, type WorkQueueOptions } from './runtime/work-queue.js';
export { RateLimiter, type RateLimiterOptions } from './runtime/rate-limiter.js';
export {
  Informer,
  OWNER_UID_INDEX,
  type InformerHandler,
  type InformerOptions,
  type InformerRetryPolicy,
  type IndexFunc,
} from '../client/informer.js';
export { InformerFactory, type InformerFactoryOptions } from '../client/informer-factory.js';
export { kinds, kindRef, type KindRef } from '../client/kinds.js';
export { replicaSetController, type ReplicaSetControllerOptions } from './replicaset.js';
export { deploymentController } from './deployment/index.js';
export { nodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';
export { jobController, type JobControllerOptions } from './job/index.js';
export { cronJobController, parseSchedule, type Schedule } from './cronjob/index.js';
export { endpointsController } from './endpoints/index.js';
export { endpointSliceController, SERVICE_NAME_LABEL, MANAGED_BY_LABEL } from './endpointslice/index.js';
export { daemonSetController, type DaemonSetControllerOptions } from './daemonset/index.js';
export { disruptionController } from './disruption/index.js';
export {
  horizontalPodAutoscalerController,
  HPA_SYNC_PERIOD_MS,
  type HpaControllerOptions,
  type MetricsClient,
  type PodMetric,
} from './hpa/index.js';
export { statefulSetController } from './statefulset/index.js';
export {
  serviceLoadBalancerController,
  LOAD_BALANCER_CLEANUP_FINALIZER,
  type ServiceLoadBalancerControllerOptions,
} from './service-lb/index.js';
export { nodeAutoscalerController, STATUS_CONFIGMAP, type NodeAutoscalerOptions } from './node-autoscaler/index.js';
export type { SchedulingSimulator, SimulatedCluster, FitResult } from './node-autoscaler/index.js';
