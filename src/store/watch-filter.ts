/**
 * Turns a committed change into what one watcher sees, with Kubernetes' selector semantics:
 * an object that starts matching arrives as ADDED, one that stops matching leaves as DELETED
 * (its previous state, stamped with the change's resourceVersion).
 */
import type { KubeObject, WatchEvent } from '../model/types.js';
import type { ListScope, StoreListOptions } from './types.js';
import { deepFreeze } from '../model/freeze.js';

/** One committed change, as the store records it in its history. */
export interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The resourceVersion the change took. */
  rv: number;
  resource: string;
  namespace: string | undefined;
  /** ADDED/MODIFIED: the new state. DELETED: the last state, stamped with the deletion's version. */
  object: KubeObject;
  /** MODIFIED: the state before the change. DELETED: the last state as it was stored (with its own resourceVersion). */
  previous?: KubeObject;
  /** Cache of `previous` stamped with `rv` (what a watcher that stops matching receives). */
  previousAtRv?: KubeObject;
}

/** What a watcher follows: a scope and optional selectors. */
export type WatchFilter = ListScope & StoreListOptions;

/** The filter of a list or watch call: its scope (an empty namespace is every namespace) and its selectors. */
export function toFilter(scope: ListScope, options: StoreListOptions): WatchFilter {
  return {
    resource: scope.resource,
    namespace: scope.namespace || undefined,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  };
}

/** A frozen copy of `obj` carrying `resourceVersion`; the rest is shared. */
export function withResourceVersion(obj: KubeObject, rv: number): KubeObject {
  return deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
}

/** True when `obj` is in `filter`'s scope (resource already checked) and matches its selectors. */
export function selects(filter: WatchFilter, obj: KubeObject): boolean {
  if (filter.labelSelector && !filter.labelSelector.matches(obj.metadata.labels ?? {})) return false;
  if (filter.fieldSelector && !filter.fieldSelector.matches(obj)) return false;
  return true;
}

/** True when a list or watch has a label or field selector that does not select everything. */
export function hasSelectors(options: StoreListOptions): boolean {
  return (
    (options.labelSelector !== undefined && !options.labelSelector.isEmpty()) ||
    (options.fieldSelector !== undefined && !options.fieldSelector.isEmpty())
  );
}

/** True when the change concerns the filter's resource and namespace. */
export function inScope(filter: WatchFilter, change: Change): boolean {
  if (change.resource !== filter.resource) return false;
  return filter.namespace === undefined || change.namespace === filter.namespace;
}

/** The event a watcher with `filter` receives for `change`, or undefined when it sees nothing. */
export function toWatchEvent(change: Change, filter: WatchFilter): WatchEvent | undefined {
  if (!inScope(filter, change)) return undefined;
  if (change.type !== 'MODIFIED') {
    return selects(filter, change.object) ? { type: change.type, object: change.object } : undefined;
  }
  const now = selects(filter, change.object);
  const before = change.previous !== undefined && selects(filter, change.previous);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: change.object };
  if (!before || !change.previous) return undefined;
  change.previousAtRv ??= withResourceVersion(change.previous, change.rv);
  return { type: 'DELETED', object: change.previousAtRv };
}
