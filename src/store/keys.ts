/**
 * Key strings of the store's maps: `resource/namespace/name`, with an empty namespace for
 * cluster-scoped objects. Reusable by any store that keys objects by a flat string.
 */
import type { ListScope, ObjectKey } from './types.js';

/** The flat key of one object: `core/pods/default/web` (cluster-scoped: `core/nodes//n1`). */
export function encodeKey(key: ObjectKey): string {
  return `${key.resource}/${key.namespace ?? ''}/${key.name}`;
}

/** The key prefix of a scope: every object key in the scope starts with it. */
export function encodeScopePrefix(scope: ListScope): string {
  return scope.namespace === undefined ? `${scope.resource}/` : `${scope.resource}/${scope.namespace}/`;
}

/**
 * How errors name a resource, as Kubernetes does: `pods` for the core group,
 * `deployments.apps` otherwise.
 */
export function qualifiedResource(resource: string): { plural: string; group: string; label: string } {
  const slash = resource.lastIndexOf('/');
  const group = slash < 0 ? '' : resource.slice(0, slash);
  const plural = slash < 0 ? resource : resource.slice(slash + 1);
  const apiGroup = group === 'core' ? '' : group;
  return { plural, group: apiGroup, label: apiGroup ? `${plural}.${apiGroup}` : plural };
}
