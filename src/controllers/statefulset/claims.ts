/**
 * A StatefulSet's PersistentVolumeClaims (getPersistentVolumeClaims, updateClaimOwnerRefForSetAndPod,
 * PodClaimIsStale): one claim per claim template and ordinal (`www-web-0`), labelled with the
 * set's selector, and owned according to persistentVolumeClaimRetentionPolicy: whenDeleted
 * Delete makes the set an owner (the claim goes with the set), whenScaled Delete makes a
 * scaled-away pod the owner (the claim goes with that pod); Retain keeps the claim. Pure.
 */
import type { OwnerReference, PersistentVolumeClaim, Pod, StatefulSet } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { claimName, inOrdinalRange, ordinalOf, POD, PVC, STATEFULSET } from './names.js';

/** The claims the pod of `ordinal` should have, one per claim template (not yet created). */
export function claimsForOrdinal(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const copy = cloneJson(t);
    return {
      ...copy,
      apiVersion: PVC.apiVersion,
      kind: PVC.kind,
      metadata: {
        ...(copy.metadata?.annotations ? { annotations: copy.metadata.annotations } : {}),
        name: claimName(set, t, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(copy.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
      },
    } as PersistentVolumeClaim;
  });
}

function plainRef(owner: { apiVersion: string; kind: string; metadata: { name?: string; uid?: string } }): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '' };
}

/**
 * The ownerReferences a claim of `pod` should carry under the set's retention policy: its
 * references to neither the set nor the pod, plus a (non-controller) one to the set when
 * whenDeleted is Delete and the pod is in range, and one to the pod when whenScaled is Delete
 * and the pod is scaled away.
 */
export function desiredClaimOwners(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const whenDeleted = policy?.whenDeleted ?? 'Retain';
  const whenScaled = policy?.whenScaled ?? 'Retain';
  const scaledDown = !inOrdinalRange(set, ordinalOf(pod));
  const refs = claim.metadata.ownerReferences ?? [];
  const isSet = (r: OwnerReference) => r.kind === STATEFULSET.kind && r.uid === set.metadata.uid;
  const isPod = (r: OwnerReference) => r.kind === POD.kind && r.name === pod.metadata.name;
  const others = refs.filter((r) => !isSet(r) && !isPod(r));
  const out = [...others];
  const keepOrAdd = (pred: (r: OwnerReference) => boolean, make: () => OwnerReference) => {
    const existing = refs.find(pred);
    out.push(existing?.uid ? existing : make());
  };
  if (scaledDown && whenScaled === 'Delete') {
    if (pod.metadata.uid)
      keepOrAdd(
        (r) => isPod(r) && r.uid === pod.metadata.uid,
        () => plainRef({ ...POD, metadata: pod.metadata }),
      );
  } else if (whenDeleted === 'Delete') {
    keepOrAdd(isSet, () => plainRef({ ...STATEFULSET, metadata: set.metadata }));
  }
  return out;
}

function sameRefs(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  const key = (r: OwnerReference) => `${r.kind}/${r.name}/${r.uid}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** The existing claims of `pod` whose owners do not match the retention policy, with the owners they should have. */
export function claimsToFix(
  set: StatefulSet,
  pod: Pod,
  claims: ReadonlyMap<string, PersistentVolumeClaim>,
): { claim: PersistentVolumeClaim; owners: OwnerReference[] }[] {
  const out: { claim: PersistentVolumeClaim; owners: OwnerReference[] }[] = [];
  for (const want of claimsForOrdinal(set, ordinalOf(pod))) {
    const claim = claims.get(want.metadata.name ?? '');
    if (!claim || claim.metadata.deletionTimestamp) continue;
    const owners = desiredClaimOwners(claim, set, pod);
    if (!sameRefs(owners, claim.metadata.ownerReferences ?? [])) out.push({ claim, owners });
  }
  return out;
}

/**
 * True when a claim of the pod to create still belongs to an earlier pod of the same name
 * (PodClaimIsStale): with whenScaled Delete the claim goes with that pod, so wait for it.
 */
export function podClaimIsStale(set: StatefulSet, pod: Pod, claims: ReadonlyMap<string, PersistentVolumeClaim>): boolean {
  if ((set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain') === 'Retain') return false;
  for (const want of claimsForOrdinal(set, ordinalOf(pod))) {
    const claim = claims.get(want.metadata.name ?? '');
    if (!claim) continue;
    if (
      (claim.metadata.ownerReferences ?? []).some(
        (r) => r.kind === POD.kind && r.name === pod.metadata.name && r.uid !== (pod.metadata.uid ?? ''),
      )
    )
      return true;
  }
  return false;
}

/** The claims of the pod's ordinal not yet in `claims` (to create before the pod, or while it is Pending). */
export function missingClaims(
  set: StatefulSet,
  ordinal: number,
  claims: ReadonlyMap<string, PersistentVolumeClaim>,
): PersistentVolumeClaim[] {
  return claimsForOrdinal(set, ordinal).filter((c) => !claims.has(c.metadata.name ?? ''));
}
