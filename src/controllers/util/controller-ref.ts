/**
 * Controller references: the ownerReference a controller puts on what it makes (Kubernetes'
 * metav1.NewControllerRef) and reading an object's controller back (metav1.GetControllerOf).
 */
import type { KubeObject, OwnerReference } from '../../model/types.js';

/**
 * The ownerReference that makes `owner` the controller of an object it creates or adopts:
 * `controller: true` (at most one per object) and `blockOwnerDeletion: true` (foreground
 * deletion of the owner waits for the object). Put it in the child's
 * `metadata.ownerReferences`; the garbage collector deletes the child with its owner.
 */
export function controllerRef(owner: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The reference to an object's controller (its ownerReference with `controller: true`), if any. */
export function controllerOf(obj: { metadata: { ownerReferences?: readonly OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}
