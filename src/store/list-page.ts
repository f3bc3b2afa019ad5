/**
 * Paged lists, as the Kubernetes API server pages them (limit and continue): the continue token,
 * the checks of a list's paging options, and the cut of one page out of a list. Shared by every
 * ObjectStore so their tokens and errors are the same.
 */
import type { KubeObject, ObjectList } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { hasSelectors } from './watch-filter.js';
import type { StoreListOptions } from './types.js';

/** Where the next page of a list starts: the list's resourceVersion and the key of the last item handed out. */
export interface ContinuePoint {
  /**
   * The resourceVersion every page of the list is read at; {@link LATEST} (-1) in the token an
   * Expired answer hands out: the rest is read at the store's current version.
   */
  rv: number;
  /** The {@link pageKey} of the previous page's last item; the next page starts after it. */
  after: string;
}

/** A continue point's rv that reads the rest of a list at the current version (Kubernetes' -1). */
export const LATEST = -1;

/** The version tag of a continue token (a token of another shape is rejected). */
const TOKEN_VERSION = 'tugboat.store/v1';

/**
 * The key a list is sorted and paged by: `namespace/name` (`/name` for a cluster-scoped object),
 * so objects sort as their etcd keys do under a resource's prefix.
 */
export function pageKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** The opaque token for a page that ends at `point`, valid for lists of `resource` only. */
export function encodeContinue(resource: string, point: ContinuePoint): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, resource, rv: point.rv, after: point.after })).toString('base64url');
}

/** Reads a continue token of `resource`; BadRequest (`continue key is not valid`) when it is not one. */
export function decodeContinue(resource: string, token: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidContinue('not a token this store issued');
  }
  const t = parsed as { v?: unknown; resource?: unknown; rv?: unknown; after?: unknown } | null;
  if (!t || typeof t !== 'object' || t.v !== TOKEN_VERSION) throw invalidContinue('not a token this store issued');
  if (t.resource !== resource) throw invalidContinue(`the token continues a list of ${String(t.resource)}, not of ${resource}`);
  if (typeof t.rv !== 'number' || !Number.isSafeInteger(t.rv) || (t.rv < 1 && t.rv !== LATEST))
    throw invalidContinue('incorrect encoded start resourceVersion');
  if (typeof t.after !== 'string') throw invalidContinue('incorrect encoded start key');
  return { rv: t.rv, after: t.after };
}

/** The list's limit (0: none); BadRequest naming `limit` when it is not a non-negative integer. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 0;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw TugboatError.badRequest(`limit: Invalid value: ${String(limit)}: must be a non-negative integer`);
  }
  return limit;
}

/**
 * Expired (410): the snapshot a continue token reads at has left the store's history. As
 * kube-apiserver, the Status carries a fresh continue token (`metadata.continue`) that reads the
 * rest of the list, after the same key, at the store's current version: a client may take it and
 * accept an inconsistent list, or start again.
 */
export function continueTooOld(resource: string, point: ContinuePoint): TugboatError {
  return TugboatError.expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without ' +
      'the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
      'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or ' +
      'deleted between the time the first chunk was returned and now may show up in the list.',
    encodeContinue(resource, { rv: LATEST, after: point.after }),
  );
}

/**
 * One page of a list: the first `limit` of `items` (sorted by {@link pageKey}, already filtered,
 * and all after the previous page), with a continue token when more follow. `remainingItemCount`
 * is set only for a list without selectors, as Kubernetes sets it.
 */
export function cutPage(resource: string, items: KubeObject[], rv: number, limit: number, options: StoreListOptions): ObjectList {
  if (limit === 0 || items.length <= limit) return { items, resourceVersion: String(rv) };
  const page = items.slice(0, limit);
  const list: ObjectList = {
    items: page,
    resourceVersion: String(rv),
    continue: encodeContinue(resource, { rv, after: pageKey(page[page.length - 1]) }),
  };
  if (!hasSelectors(options)) list.remainingItemCount = items.length - limit;
  return list;
}

/** BadRequest: `continue key is not valid: <why>` (the API server's wording). */
function invalidContinue(why: string): TugboatError {
  return TugboatError.badRequest(`continue key is not valid: ${why}`);
}
