import type { KubeObject } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';

export { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, NAMESPACE_FINALIZER } from '../model/well-known.js';
import { NAMESPACE_FINALIZER } from '../model/well-known.js';

/** The metadata fields only the API server sets; a client's values are ignored on write. */
const SYSTEM_FIELDS = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink'] as const;

/** Clears system-owned metadata from a client's object before create. */
export function clearSystemFields(obj: KubeObject): void {
  for (const f of SYSTEM_FIELDS) delete (obj.metadata as Record<string, unknown>)[f];
}

/** Copies system-owned metadata from the stored object onto an update. */
export function keepSystemFields(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata as Record<string, unknown>;
  const prev = old.metadata as Record<string, unknown>;
  for (const f of SYSTEM_FIELDS) {
    if (prev[f] === undefined) delete meta[f];
    else meta[f] = prev[f];
  }
}

/** Every finalizer that holds an object: metadata.finalizers, plus a Namespace's spec.finalizers. */
export function pendingFinalizers(obj: KubeObject): string[] {
  const own = obj.metadata.finalizers ?? [];
  if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    return [...own, ...(spec?.finalizers ?? [])];
  }
  return own;
}

/** What the API server resets on create for kinds with a status subresource. */
function initialStatus(type: ResourceType, obj: KubeObject): unknown {
  if (!type.hasStatus) return obj.status;
  if (type.group === '' && type.kind === 'Node') return obj.status;
  if (type.group === '' && type.kind === 'Pod') return { phase: 'Pending' };
  if (type.group === '' && type.kind === 'Namespace') return { phase: 'Active' };
  return undefined;
}

/**
 * Kubernetes' PrepareForCreate: resets status of kinds with a status subresource (a Pod starts
 * Pending, a Namespace Active) and gives a Namespace its `kubernetes` finalizer.
 */
export function prepareForCreate(type: ResourceType, obj: KubeObject): void {
  const status = initialStatus(type, obj);
  if (status === undefined) delete obj.status;
  else obj.status = status;
  if (type.group === '' && type.kind === 'Namespace') {
    const spec = (obj.spec ?? {}) as { finalizers?: string[] };
    spec.finalizers = [NAMESPACE_FINALIZER];
    obj.spec = spec;
  }
}
