/**
 * Where EtcdStore keeps objects in etcd's key space, laid out as the Kubernetes API server lays
 * them out: `<prefix>/<resource>/<namespace>/<name>` for a namespaced object and
 * `<prefix>/<resource>/<name>` for a cluster-scoped one, where `<resource>` is the plural for the
 * core group (`/registry/pods/default/web`) and `<group>/<plural>` otherwise
 * (`/registry/apps/deployments/default/web`, `/registry/example.com/widgets/w1`).
 */
import { TugboatError } from '../../model/errors.js';
import type { ListScope, ObjectKey } from '../types.js';

/** The default key prefix, Kubernetes' `--etcd-prefix`. */
export const DEFAULT_PREFIX = '/registry';

/** Checks and normalizes a key prefix: starts with `/`, no trailing `/`, no empty segment. */
export function normalizePrefix(prefix: string | undefined): string {
  const p = prefix ?? DEFAULT_PREFIX;
  if (typeof p !== 'string' || !p.startsWith('/') || p.length < 2 || p.endsWith('/') || p.includes('//')) {
    throw TugboatError.badRequest(
      `prefix: Invalid value: ${JSON.stringify(p)}: must start with "/", not end with "/" and have no empty segment (e.g. "/registry")`,
    );
  }
  return p;
}

/** The key segment of a store resource: `pods` for `core/pods`, `apps/deployments` otherwise. */
export function resourceSegment(resource: string): string {
  return resource.startsWith('core/') ? resource.slice('core/'.length) : resource;
}

/** The etcd key of one object. */
export function objectKey(prefix: string, key: ObjectKey): string {
  const base = `${prefix}/${resourceSegment(key.resource)}/`;
  return key.namespace ? `${base}${key.namespace}/${key.name}` : `${base}${key.name}`;
}

/** The key prefix of a list or watch scope (one resource, optionally one namespace of it), ending in `/`. */
export function scopePrefix(prefix: string, scope: ListScope): string {
  const base = `${prefix}/${resourceSegment(scope.resource)}/`;
  return scope.namespace ? `${base}${scope.namespace}/` : base;
}

/**
 * The key that every write of a store bumps in the same transaction (the prefix itself, outside
 * the objects' range), so its mod revision is the store's latest resourceVersion even when other
 * users write to the same etcd.
 */
export function revisionKey(prefix: string): string {
  return prefix;
}

/** The end of the etcd range of every key starting with `start` (the key with its last byte incremented). */
export function prefixEnd(start: Buffer): Buffer {
  const end = Buffer.from(start);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * The namespace of the object at `key` under `base` (a resource's scope prefix, ending in `/`):
 * the segment before the name, or undefined for a cluster-scoped object.
 */
export function namespaceIn(base: string, key: string): string | undefined {
  const rest = key.slice(base.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : rest.slice(0, slash);
}

/**
 * The key a page of a list continues after, from the token's `namespace/name` page key
 * (`/name` for a cluster-scoped object).
 */
export function keyAfter(base: string, pageKey: string): string {
  return pageKey.startsWith('/') ? `${base}${pageKey.slice(1)}` : `${base}${pageKey}`;
}
