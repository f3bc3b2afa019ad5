/**
 * Helpers for writing controllers, used by the built-in ones too (one place for each):
 * controller references, createOrPatch, pods from templates, template hashes, revision
 * history, claiming (adopt/release) and pod state. Exported from `tugboat/controllers`.
 */
export { controllerRef, controllerOf } from './controller-ref.js';
export { createOrPatch, mergePatchBetween, type CreateOrPatchResult, type OperationResult } from './create-or-patch.js';
export { podFromTemplate, podNamePrefix, type PodFromTemplateOptions } from './pod-template.js';
export { computeHash, equalIgnoreHash } from './template-hash.js';
export {
  newControllerRevision,
  hashControllerRevision,
  controllerRevisionName,
  templateOfRevision,
  nextRevision,
  sortRevisions,
  equalRevision,
  findEqualRevisions,
  type RevisionData,
} from './controller-revision.js';
export { revisionOf, maxRevision, revisionAnnotations } from './revision-annotations.js';
export { claimObjects, type Claimant } from './claim-objects.js';
export { classifyClaims, type ClaimOwner, type ClaimDecision } from './claim.js';
export { claimCandidates, type CandidateOwner } from './claim-candidates.js';
export { isPodActive, isPodReady, isPodAvailable, podReadySinceMs, msUntilAvailable, maxContainerRestarts } from './pods.js';
