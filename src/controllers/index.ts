/**
 * The controller runtime and the built-in workload controllers (ReplicaSet, Deployment, Job, CronJob, node
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
  KindRef,
  Logger,
  ObservedChange,
  WatchSource,
} from './runtime/types.js';
export { terminalError, isTerminalError, TerminalError } from './runtime/terminal-error.js';
export { WorkQueue, type WorkQueueOptions } from './runtime/work-queue.js';
export { RateLimiter, type RateLimiterOptions } from './runtime/rate-limiter.js';
export { Informer, type InformerHandler } from '../client/informer.js';
export { replicaSetController, type ReplicaSetControllerOptions } from './replicaset.js';
export { deploymentController } from './deployment/index.js';
export { nodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';
export { jobController, type JobControllerOptions } from './job/index.js';
export { cronJobController, parseSchedule, type Schedule } from './cronjob/index.js';
