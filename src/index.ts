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
export type { ApplyOptions, ApplyResult } from './api/apply.js';
export { LAST_APPLIED } from './api/apply.js';
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
