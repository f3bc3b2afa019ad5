/**
 * A past state of a scope, rebuilt from its current objects and the changes kept since: what a
 * continued list of a store without multi-version storage (MemoryStore) reads.
 */
import type { KubeObject } from '../model/types.js';
import { compareStrings } from '../model/label-requirement.js';
import { pageKey } from './list-page.js';
import { inScope, type Change, type WatchFilter } from './watch-filter.js';

/**
 * The objects of `filter`'s scope (no selectors applied) as they were before `changes` (every
 * change after the snapshot's resourceVersion, oldest first), sorted by {@link pageKey}.
 * `current` is the scope's objects now.
 */
export function objectsBefore(current: readonly KubeObject[], changes: readonly Change[], filter: WatchFilter): KubeObject[] {
  const byKey = new Map<string, KubeObject>();
  for (const obj of current) byKey.set(pageKey(obj), obj);
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i];
    if (!inScope(filter, change)) continue;
    const key = pageKey(change.object);
    if (change.type === 'ADDED') byKey.delete(key);
    else if (change.previous) byKey.set(key, change.previous);
  }
  return [...byKey.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([, obj]) => obj);
}
