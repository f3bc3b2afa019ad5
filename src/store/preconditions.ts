/**
 * The optimistic-concurrency checks of update and delete, shared by every ObjectStore
 * implementation: a write names the state it expects (uid, resourceVersion) and fails
 * Conflict when the stored object is not in that state.
 */
import type { KubeObject } from '../model/types.js';
import type { DeletePreconditions } from './types.js';
import { conflict } from './store-errors.js';

/**
 * Throws Conflict when an update's `metadata.uid` or `metadata.resourceVersion` is set and
 * differs from the stored object's (unset means an unconditional update).
 */
export function checkUpdatePreconditions(resource: string, stored: KubeObject, incoming: KubeObject): void {
  const name = stored.metadata.name ?? '';
  const { uid, resourceVersion } = incoming.metadata;
  if (uid && uid !== stored.metadata.uid) {
    throw conflict(resource, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${stored.metadata.uid}`);
  }
  if (resourceVersion && resourceVersion !== stored.metadata.resourceVersion) throw conflict(resource, name);
}

/** Throws Conflict when a delete's uid or resourceVersion precondition does not hold. */
export function checkDeletePreconditions(resource: string, stored: KubeObject, preconditions: DeletePreconditions): void {
  const name = stored.metadata.name ?? '';
  const { uid, resourceVersion } = preconditions;
  if (uid !== undefined && uid !== stored.metadata.uid) {
    throw conflict(resource, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${stored.metadata.uid}`);
  }
  if (resourceVersion !== undefined && resourceVersion !== stored.metadata.resourceVersion) {
    throw conflict(
      resource,
      name,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${stored.metadata.resourceVersion}`,
    );
  }
}
