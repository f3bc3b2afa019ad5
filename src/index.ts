/**
 * tugboat: Kubernetes-style container orchestration as a TypeScript library.
 *
 * Start with {@link Cluster.start}. This entry point is for users of a cluster: the cluster, its
 * clients, the object model and its helpers, errors, clocks and the built-in runtimes. Other
 * audiences have their own: `tugboat/controllers` (write controllers), `tugboat/scheduler`
 * (scheduler plugins), `tugboat/store` (object stores), `tugboat/runtime` (container runtimes),
 * `tugboat/docker` (the Docker runtime) and `tugboat/testing` (test harnesses).
 * @packageDocumentation
 */

// The cluster
export { Cluster, SYSTEM_NAMESPACES } from './cluster/cluster.js';
export type {
  ClusterOptions,
  ClusterEvents,
  ClusterEventLog,
  PortForward,
  PortForwardOptions,
  ScalableKind,
  ScaleTarget,
  DrainOptions,
  DrainResult,
  ClusterAutoscalerOptions,
} from './cluster/cluster.js';
export type { ServeOptions, ServedApi, TokenUser, TlsFiles, UserInfo } from './server/types.js';
export type { CertificatePair } from './server/certificates.js';
export type { NodeSpec } from './cluster/node-pool.js';
export type { CustomMetricsProvider, CustomMetricQuery } from './controllers/hpa/types.js';
export { Rollout } from './cluster/rollout.js';
export type { RolloutRevision, RolloutStatusOptions } from './cluster/rollout.js';
export type { WaitForOptions } from './cluster/wait-for.js';
export type { AdvanceUntilOptions, SettleOptions } from './cluster/settle.js';
export { waitFor } from './cluster/wait-for.js';

// Clients: the contract every component reads and writes through
export type {
  ResourceClient,
  ApiContext,
  EventRecorder,
  ListOptions,
  WatchOptions,
  WriteOptions,
  FieldValidation,
  DeleteOptions,
  PatchType,
  PropagationPolicy,
  PodBinding,
  PodClient,
  PodEviction,
  EvictOptions,
  ServiceAccountTokenRequest,
  BoundObjectRef,
} from './client/types.js';
export { ALL_NAMESPACES } from './client/types.js';
// Typed kind references: `cluster.client(kinds.Deployment, 'web')` is a ResourceClient<Deployment>
export { kinds, kindRef } from './client/kinds.js';
export type { KindRef } from './client/kinds.js';
export { HttpApiContext, type HttpApiContextOptions } from './client/http/http-api-context.js';
export type { ServerSideApplyOptions } from './client/http/http-resource-client.js';
export { parseKubeconfig, type ClusterConnection } from './client/http/kubeconfig.js';
export { LeaderElector } from './client/leader-election/leader-elector.js';
export type { LeaderCallbacks, LeaderElectionRecord, LeaderElectorOptions } from './client/leader-election/types.js';
export type { ClusterLeaderElection } from './cluster/leader-election.js';

// The API: admission, apply, patches
export { AdmissionChain } from './api/admission.js';
export type { AdmissionPlugin, AdmissionRequest, AdmissionVerdict } from './api/admission.js';
export { KindRegistry } from './api/kind-registry.js';
export type { WarningHandler } from './api/object-api.js';
export type { ApplyOptions, ApplyOutcome, ApplyResult } from './api/apply.js';
export type { APIService, LimitRange, NetworkPolicy, ResourceQuota, ServiceAccount } from './model/kinds/policy-kinds.js';
export type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './model/kinds/rbac.js';
export type { ManifestInput } from './api/manifest.js';
export { decodeManifests, MAX_MANIFEST_BYTES } from './api/manifest.js';
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
export type {
  ResourceType,
  NameFormat,
  ValidateOptions,
  ValidationResult,
  ScaleSubresource,
  VersionConversion,
  CustomResourceVersion,
  PrinterColumn,
} from './model/resource-type.js';
export { BUILTIN_KINDS } from './model/kinds/index.js';
export { resourceTypeFromCRD } from './model/crd.js';
/** Well-known label, annotation, taint, finalizer and namespace names (Kubernetes' own values). */
export * from './model/well-known.js';

// Time
export type { Clock, Timer } from './clock/types.js';
export { RealClock } from './clock/real-clock.js';
export { FakeClock } from './clock/fake-clock.js';

// Built-in runtimes (contracts in 'tugboat/runtime', Docker in 'tugboat/docker')
export { MockRuntime, MockNodeUnreachableError } from './runtime-adapters/mock/index.js';
export type {
  MockImageBehavior,
  MockProcessIO,
  MockRuntimeOptions,
  MockPodSelector,
  MockContainerInfo,
  MockCallCounters,
} from './runtime-adapters/mock/index.js';
export { ProcessRuntime } from './runtime-adapters/process/index.js';
export type { ProcessRuntimeOptions } from './runtime-adapters/process/index.js';
export type { PodLogOptions } from './node-agent/types.js';
export type { AttachOptions, ExecStreamOptions } from './node-agent/pod-streams.js';
export type { LogLine, ExecResult, ContainerRuntime, ContainerStreams, StreamOptions, TerminalSize } from './runtime-adapters/types.js';

// Stores (the contract and the default; more in 'tugboat/store')
export { MemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type { ObjectStore } from './store/types.js';

// Controllers (the contract; the runtime and helpers are in 'tugboat/controllers')
export type {
  Controller,
  ControllerSetup,
  ReconcileRequest,
  ReconcileResult,
  ReconcileContext,
  Logger,
} from './controllers/runtime/types.js';
export { terminalError } from './controllers/runtime/terminal-error.js';

// Cloud providers (the contract, and the local provider: load balancers as loopback TCP listeners)
export { LocalCloudProvider, LocalLoadBalancers, LocalNodeGroups, NODE_GROUP_LABEL } from './cloud-providers/local/index.js';
export type { LocalCloudProviderOptions, LocalLoadBalancersOptions, LocalNodeGroupSpec } from './cloud-providers/local/index.js';
export { AddressPool, AddressRangeExhaustedError, DEFAULT_LOAD_BALANCER_RANGE } from './cloud-providers/local/index.js';
export type { AddressLease } from './cloud-providers/local/index.js';
export type {
  CloudProvider,
  CloudHost,
  CloudNodeSpec,
  LoadBalancerProvider,
  LoadBalancerRequest,
  LoadBalancerPort,
  LoadBalancerEndpoint,
  LoadBalancerNode,
  NodeGroupProvider,
  NodeGroup,
  NodeTemplate,
} from './cloud-providers/types.js';
// Ingress adapters: the contract, the route model, and the in-process proxy.
export { ProxyIngress, PROXY_INGRESS_CONTROLLER } from './ingress-adapters/proxy/proxy-ingress.js';
export type { ProxyIngressOptions } from './ingress-adapters/proxy/proxy-ingress.js';
export type {
  IngressAdapter,
  IngressAddress,
  IngressRoutes,
  HostRoutes,
  RoutePath,
  RouteBackend,
  RouteEndpoint,
  RouteOptions,
  TlsCertificate,
  PathType,
  IngressRef,
} from './ingress-adapters/types.js';
export type { VolumeProvider, ProvisionRequest, ProvisionedVolume, ExpandedVolume } from './cloud-providers/types.js';
export { DEFAULT_STORAGE_CLASS_ANNOTATION } from './cloud-providers/types.js';
export { LocalVolumes, LOCAL_PROVISIONER, type LocalVolumesOptions } from './cloud-providers/local/index.js';
