/**
 * The controller runtime and the built-in workload controllers (ReplicaSet, Deployment, node
 * lifecycle). The lead re-exports these from src/index.ts.
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
export { Informer, type InformerHandler } from './runtime/informer.js';
export { replicaSetController, type ReplicaSetControllerOptions } from './replicaset.js';
export { deploymentController, templateForRevision } from './deployment/index.js';
export { nodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';
