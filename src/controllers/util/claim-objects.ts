/**
 * Kubernetes' ControllerRefManager claim step with its writes: read the candidates, classify
 * them, adopt matching orphans and release owned objects that stopped matching.
 */
import type { KubeObject, LabelSelector, OwnerReference } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import type { KindRef, ReconcileContext } from '../runtime/types.js';
import { classifyClaims, type ClaimOwner } from './claim.js';
import { claimCandidates } from './claim-candidates.js';

/** Who claims: the owner, its selector, and the controller reference it puts on what it adopts. */
export interface Claimant extends ClaimOwner {
  selector?: LabelSelector;
  ownerRef: OwnerReference;
}

/** Sets an object's ownerReferences (merge patch); undefined when the object is gone. */
async function patchOwners<T extends KubeObject>(
  ctx: ReconcileContext,
  kind: KindRef,
  obj: T,
  refs: OwnerReference[],
): Promise<T | undefined> {
  try {
    return await ctx
      .client<T>(kind.apiVersion, kind.kind, obj.metadata.namespace)
      .patch(obj.metadata.name ?? '', { metadata: { ownerReferences: refs } }, 'merge');
  } catch (err) {
    if (TugboatError.is(err, 'NotFound')) return undefined;
    throw err;
  }
}

/**
 * The objects of `kind` that `owner` controls after claiming: owned and matching ones, plus the
 * matching orphans it adopted (as patched); owned ones that no longer match are released.
 * `filter` drops candidates before classifying (e.g. inactive pods).
 */
export async function claimObjects<T extends KubeObject>(
  ctx: ReconcileContext,
  kind: KindRef,
  owner: Claimant,
  filter?: (obj: T) => boolean,
): Promise<T[]> {
  const all = await claimCandidates<T>(ctx.cache, kind, owner);
  const claims = classifyClaims(owner, owner.selector, filter ? all.filter(filter) : all);
  const owned = [...claims.owned];
  for (const obj of claims.adopt) {
    const adopted = await patchOwners(ctx, kind, obj, [...(obj.metadata.ownerReferences ?? []), owner.ownerRef]);
    if (adopted) owned.push(adopted);
  }
  for (const obj of claims.release)
    await patchOwners(
      ctx,
      kind,
      obj,
      (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.uid),
    );
  return owned;
}
