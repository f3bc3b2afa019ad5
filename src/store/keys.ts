/**
 * How a store resource is named: the flat key of one object (`resource/namespace/name`, for a
 * store that keys objects by one string) and the plural/group label errors use.
 */
import type { ObjectKey } from './types.js';

/** The flat key of one object: `core/pods/default/web` (cluster-scoped: `core/nodes//n1`). */
export function encodeKey(key: ObjectKey): string {
  return `${key.resource}/${key.namespace ?? ''}/${key.name}`;
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
