/**
 * The metadata the API server owns and stamps (uid, creationTimestamp, generation), as
 * kube-apiserver's registry does (rest.BeforeCreate / BeforeUpdate and the strategies'
 * generation rule), so an ObjectStore only stores: it owns resourceVersion and nothing else.
 */
import type { KubeObject, ObjectMeta } from '../model/types.js';
import { jsonEqual } from '../model/json.js';
import { rfc3339 } from '../clock/time-format.js';

type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Stamps an object about to be created (mutates it): a new uid, creationTimestamp `now`, generation 1. */
export function stampCreate(obj: KubeObject, uid: string, now: Date): void {
  const meta = obj.metadata as MutableMeta;
  meta.uid = uid;
  meta.creationTimestamp = rfc3339(now);
  meta.generation = 1;
}

/** True when anything but `metadata` and `status` differs between two objects. */
export function bodyChanged(before: KubeObject, after: KubeObject): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'status') continue;
    if (!jsonEqual(before[key], after[key])) return true;
  }
  return false;
}

/**
 * Stamps an update of `stored` (mutates `next`): uid and creationTimestamp stay the stored ones,
 * generation rises by one when anything but metadata and status changed (what a client sends
 * for them is ignored).
 */
export function stampUpdate(stored: KubeObject, next: KubeObject): void {
  if (Object.isFrozen(next.metadata)) next.metadata = { ...next.metadata };
  const meta = next.metadata as MutableMeta;
  const generation = stored.metadata.generation ?? 1;
  meta.uid = stored.metadata.uid;
  meta.creationTimestamp = stored.metadata.creationTimestamp;
  meta.generation = bodyChanged(stored, next) ? generation + 1 : generation;
}
