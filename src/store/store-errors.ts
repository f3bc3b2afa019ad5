/**
 * The errors a store raises, worded as the Kubernetes API server words them
 * (`pods "web" not found`, `deployments.apps "web" already exists`).
 */
import { TugboatError } from '../model/errors.js';
import { qualifiedResource } from './keys.js';
import { STALE_MESSAGE } from './object-stamp.js';

function subject(resource: string, name: string): { group?: string; kind: string; name: string } {
  const q = qualifiedResource(resource);
  return q.group ? { group: q.group, kind: q.plural, name } : { kind: q.plural, name };
}

/** NotFound (404) for `name` in `resource`. */
export function notFound(resource: string, name: string): TugboatError {
  return new TugboatError('NotFound', `${qualifiedResource(resource).label} "${name}" not found`, subject(resource, name));
}

/** AlreadyExists (409) for `name` in `resource`. */
export function alreadyExists(resource: string, name: string): TugboatError {
  return new TugboatError('AlreadyExists', `${qualifiedResource(resource).label} "${name}" already exists`, subject(resource, name));
}

/** Conflict (409): the object changed since it was read, or a precondition failed. */
export function conflict(resource: string, name: string, why: string = STALE_MESSAGE): TugboatError {
  return new TugboatError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource).label} "${name}": ${why}`,
    subject(resource, name),
  );
}

/** ServiceUnavailable (503): the store was closed. */
export function storeClosed(): TugboatError {
  return new TugboatError('ServiceUnavailable', 'the object store is closed');
}
