/**
 * Kubernetes' ControllerRefManager as a pure decision: which objects a controller owns, should
 * adopt (orphans matching its selector) and should release (owned, no longer matching).
 */
import type { KubeObject, LabelSelector } from '../../model/types.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { controllerOf } from './controller-ref.js';

/** The owner side of a claim. */
export interface ClaimOwner {
  uid: string;
  namespace?: string;
  /** True while the owner is being deleted: it adopts nothing and releases nothing. */
  deleting?: boolean;
}

/** The outcome of {@link classifyClaims}. */
export interface ClaimDecision<T> {
  /** Owned and matching (includes nothing to adopt). */
  owned: T[];
  /** Orphans that match: to adopt (then owned). */
  adopt: T[];
  /** Owned but no longer matching: to release. */
  release: T[];
}

/** Classifies candidates against an owner and its selector. */
export function classifyClaims<T extends KubeObject>(
  owner: ClaimOwner,
  selector: LabelSelector | undefined,
  candidates: readonly T[],
): ClaimDecision<T> {
  const out: ClaimDecision<T> = { owned: [], adopt: [], release: [] };
  const matcher = labelSelectorAsSelector(selector);
  for (const obj of candidates) {
    if (owner.namespace !== undefined && obj.metadata.namespace !== owner.namespace) continue;
    const matches = matcher.matches(obj.metadata.labels);
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== owner.uid) continue;
      if (matches) out.owned.push(obj);
      else if (!owner.deleting) out.release.push(obj);
      else out.owned.push(obj);
      continue;
    }
    if (!matches || owner.deleting || obj.metadata.deletionTimestamp) continue;
    out.adopt.push(obj);
  }
  return out;
}
