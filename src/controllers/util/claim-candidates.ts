/**
 * Reading the objects a controller's claims can concern, through the informer indexes instead
 * of a scan of the namespace: the objects naming the owner in their ownerReferences (to keep or
 * release) and the objects its selector matches (orphans to adopt).
 */
import type { KubeObject, LabelSelector } from '../../model/types.js';
import type { CacheReader, KindRef } from '../runtime/types.js';

/** The owner whose claims are read: its uid, namespace and selector. */
export interface CandidateOwner {
  uid: string;
  namespace?: string;
  selector?: LabelSelector;
}

/**
 * Candidates for {@link classifyClaims}: objects of `kind` owned by `owner` plus those its
 * selector matches in its namespace, each once (the later read wins if the cache moved between
 * the two reads). The same claims come out as from classifying every object of the namespace.
 */
export async function claimCandidates<T extends KubeObject>(cache: CacheReader, kind: KindRef, owner: CandidateOwner): Promise<T[]> {
  const owned = await cache.ownedBy<T>(kind.apiVersion, kind.kind, owner.uid);
  if (!owner.selector) return owned;
  const matching = await cache.list<T>(kind.apiVersion, kind.kind, { namespace: owner.namespace, labelSelector: owner.selector });
  const byUid = new Map<string, T>();
  for (const o of owned) byUid.set(o.metadata.uid ?? '', o);
  for (const o of matching) byUid.set(o.metadata.uid ?? '', o);
  return [...byUid.values()];
}
