/**
 * tugboat: Kubernetes-style container orchestration as a TypeScript library.
 *
 * Start with {@link Cluster.start}; everything users need is exported from here.
 * @packageDocumentation
 */

// The cluster and its API
export { Cluster, SYSTEM_NAMESPACES } from './api/cluster.js';
export type { ClusterOptions, ClusterEvents, ClusterEventLog } from './api/cluster.js';
export type {
  ResourceClient,
  ApiContext,
  EventRecorder,
  ListOptions,
  WatchOptions,
  WriteOptions,
  DeleteOptions,
  PatchType,
  PropagationPolicy,
} from './api/types.js';
export { ALL_NAMESPACES } from './api/types.js';
export { AdmissionChain } from './api/admission.js';
export type { AdmissionPlugin, AdmissionRequest, AdmissionVerdict } from './api/admission.js';
export { KindRegistry } from './api/kind-registry.js';
export { ObjectApi } from './api/object-api.js';
export type { ObjectApiOptions, WarningHandler, WriteHooks, InternalWriteOptions } from './api/object-api.js';
export type { ApplyOptions, ApplyResult } from './api/apply.js';
export { LAST_APPLIED, applyManifests } from './api/apply.js';
export type { ManifestInput } from './api/manifest.js';
export { decodeManifests } from './api/manifest.js';
export { mergePatch, strategicMergePatch, jsonPatch } from './api/patch.js';
export type { JsonPatchOperation } from './api/patch.js';

// Errors
export { TugboatError, fieldError } from './model/errors.js';
export type { ErrorSubject } from './model/errors.js';

// The object model
export type * from './model/types.js';
export { writableMeta } from './model/types.js';
/**
 * immer's `produce`: objects from tugboat are frozen snapshots; change one with
 * `produce(obj, (draft) => { ... })` and write the result back.
 */
export { produce } from 'immer';
export {
  parseSelector,
  labelSelectorAsSelector,
  selectorFromSet,
  everything,
  nothing,
  isSelector,
} from './model/selector.js';
export type { Selector, Requirement, SelectorOperator } from './model/selector.js';
export { parseFieldSelector, fieldSelectorFromSet } from './model/field-selector.js';
export type { FieldSelector, FieldRequirement } from './model/field-selector.js';
export { parseQuantity, Quantity, quantityToMilli } from './model/quantity.js';
export type { QuantityFormat } from './model/quantity.js';
export { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from './model/names.js';
export { apiVersionOf, storeResourceOf } from './model/resource-type.js';
export type { ResourceType, NameFormat, ValidationResult } from './model/resource-type.js';
export { BUILTIN_KINDS } from './model/kinds/index.js';
export { resourceTypeFromCRD } from './model/crd.js';

// Time
export type { Clock, Timer } from './clock/types.js';
export { RealClock } from './clock/real-clock.js';
export { FakeClock } from './clock/fake-clock.js';

// Stores
export type {
  ObjectStore,
  ObjectKey,
  ListScope,
  StoreListOptions,
  StoreWatchOptions,
  DeletePreconditions,
  ResourceName,
} from './store/types.js';
export { MemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';

// Controllers: the runtime users write their own controllers with, and the built-in ones
export {
  ControllerManager,
  terminalError,
  isTerminalError,
  TerminalError,
  WorkQueue,
  RateLimiter,
  Informer,
  replicaSetController,
  deploymentController,
  nodeLifecycleController,
  templateForRevision,
} from './controllers/index.js';
export type {
  ControllerManagerOptions,
  Controller,
  ReconcileRequest,
  ReconcileResult,
  ReconcileContext,
  CacheReader,
  CacheListOptions,
  KindRef,
  Logger,
  WorkQueueOptions,
  RateLimiterOptions,
  InformerHandler,
  WatchSource,
  ObservedChange,
  ReplicaSetControllerOptions,
  NodeLifecycleOptions,
} from './controllers/index.js';

// Scheduler: the component, the plugin framework and the built-in plugins
export {
  Scheduler,
  CycleState,
  MAX_NODE_SCORE,
  success,
  unschedulable,
  unresolvable,
  errorStatus,
  isSuccess,
  PluginRegistry,
  defaultPlugins,
  defaultRegistry,
  nodeNamePlugin,
  nodeUnschedulablePlugin,
  nodeResourcesFitPlugin,
  nodeAffinityPlugin,
  taintTolerationPlugin,
  interPodAffinityPlugin,
  podTopologySpreadPlugin,
  leastAllocatedPlugin,
  balancedAllocationPlugin,
} from './scheduler/index.js';
export type {
  SchedulerOptions,
  AnyPlugin,
  FilterPlugin,
  ScorePlugin,
  PreFilterPlugin,
  PreScorePlugin,
  Plugin,
  NodeInfo,
  NodeScore,
  PodInfo,
  PluginStatus,
  PluginStatusCode,
  ClusterSnapshot,
  Resources,
  InterPodAffinityOptions,
} from './scheduler/index.js';
export { NodeInfoCache, SchedulingQueue } from './scheduler/index.js';
export type { SchedulingQueueOptions, QueuedPodInfo, QueueLocation } from './scheduler/queue.js';

// Nodes and container runtimes (DockerRuntime is in the 'tugboat/docker' entry point)
export { NodeAgent } from './node-agent/node-agent.js';
export type { NodeAgentOptions, NodeAgentStopOptions, NodeResources, PodLogOptions } from './node-agent/types.js';
export type { NodeSpec } from './api/node-pool.js';
export { NodePool } from './api/node-pool.js';
export { Rollout, REVISION_ANNOTATION, RESTARTED_AT_ANNOTATION } from './api/rollout.js';
export type { RolloutRevision, RolloutStatusOptions } from './api/rollout.js';
export type { WaitForOptions } from './api/wait-for.js';
export { waitFor } from './api/wait-for.js';
export type { ScalableKind } from './api/cluster.js';
export type { PodBinding } from './api/types.js';
export { MockRuntime, MockNodeUnreachableError } from './runtime-adapters/mock/index.js';
export type { MockImageBehavior, MockRuntimeOptions, MockPodSelector, MockContainerInfo, MockCallCounters } from './runtime-adapters/mock/index.js';
export { ProcessRuntime } from './runtime-adapters/process/index.js';
export type { ProcessRuntimeOptions } from './runtime-adapters/process/index.js';
export { RUNTIME_LABELS, ImagePullError } from './runtime-adapters/types.js';
export type {
  ContainerRuntime,
  ContainerConfig,
  ContainerStatus,
  SandboxConfig,
  SandboxStatus,
  RuntimeEvent,
  RuntimeBinding,
  Mount,
  PortMapping,
  PullPolicy,
  LogLine,
  LogOptions,
  ExecResult,
  ContainerStats,
  ImageInfo,
  ProbeAction,
  ProbeOutcome,
  SecuritySettings,
} from './runtime-adapters/types.js';
