/**
 * The errors a store raises, worded as the Kubernetes API server words them
 * (`pods "web" not found`, `deployments.apps "web" already exists`).
 */
import { TugboatError, type ErrorSubject } from '../model/errors.js';
import { qualifiedResource } from './keys.js';
import { STALE_MESSAGE } from './object-stamp.js';

/** The error subject of a store resource: its plural as `kind`, its API group (none for core). */
export function subjectOf(resource: string): ErrorSubject {
  const q = qualifiedResource(resource);
  return q.group ? { group: q.group, kind: q.plural } : { kind: q.plural };
}

/** NotFound (404) for `name` in `resource`. */
export function notFound(resource: string, name: string): TugboatError {
  return TugboatError.notFound(subjectOf(resource), name);
}

/** AlreadyExists (409) for `name` in `resource`. */
export function alreadyExists(resource: string, name: string): TugboatError {
  return TugboatError.alreadyExists(subjectOf(resource), name);
}

/** Conflict (409): the object changed since it was read (the default message), or a precondition failed. */
export function conflict(resource: string, name: string, why: string = STALE_MESSAGE): TugboatError {
  return TugboatError.conflict(subjectOf(resource), name, why);
}

/** ServiceUnavailable (503): the store was closed. */
export function storeClosed(): TugboatError {
  return new TugboatError('ServiceUnavailable', 'the object store is closed');
}
