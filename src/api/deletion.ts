import { writableMeta, type KubeObject } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import { rfc3339 } from '../clock/time-format.js';
import type { DeleteOptions } from '../client/types.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, pendingFinalizers } from './object-meta.js';
import { CRD_CLEANUP_FINALIZER, type CRDCondition } from '../model/crd.js';
import { setCondition } from '../model/conditions.js';

/** Namespaces Kubernetes refuses to delete. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** What a delete request does to a stored object. */
export type DeletionPlan =
  | { action: 'remove' }
  | { action: 'none' }
  | { action: 'mark'; mark(draft: KubeObject): void };

interface PodLike {
  spec?: { nodeName?: string; terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

/** The grace period a pod's deletion gets: 0 when it never ran or has finished. */
function podGrace(obj: KubeObject, options: DeleteOptions): number {
  const pod = obj as PodLike;
  if (!pod.spec?.nodeName) return 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}

/**
 * Decides a deletion, as Kubernetes' registry does: finalizers (existing, or added by Foreground
 * and Orphan propagation) and a bound pod's grace period set deletionTimestamp and keep the
 * object; otherwise it is removed at once. A pure function.
 */
export function planDeletion(type: ResourceType, old: KubeObject, options: DeleteOptions, now: Date): DeletionPlan {
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  const isPod = type.group === '' && type.kind === 'Pod';
  const isCRD = type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition';
  const name = old.metadata.name ?? '';
  if (isNamespace && PROTECTED_NAMESPACES.has(name)) {
    throw TugboatError.forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
      kind: 'namespaces',
      name,
    });
  }
  const policy = options.propagationPolicy ?? 'Background';
  if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw TugboatError.badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Background", "Foreground", "Orphan"`);
  }
  const add = policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;
  const existing = old.metadata.finalizers ?? [];
  const adds = add && !existing.includes(add) ? [add] : [];
  // A CRD's first deletion adds the cleanup finalizer: its objects are deleted before it goes.
  if (isCRD && !old.metadata.deletionTimestamp && !existing.includes(CRD_CLEANUP_FINALIZER)) adds.push(CRD_CLEANUP_FINALIZER);
  const grace = isPod ? podGrace(old, options) : 0;
  const held = pendingFinalizers(old).length + adds.length > 0;

  if (old.metadata.deletionTimestamp) {
    const shortens = isPod && options.gracePeriodSeconds !== undefined && grace < (old.metadata.deletionGracePeriodSeconds ?? 0);
    if (isPod && grace === 0 && !held) return { action: 'remove' };
    if (adds.length === 0 && !shortens) return { action: 'none' };
    return {
      action: 'mark',
      mark: (draft) => {
        if (adds.length) draft.metadata.finalizers = [...existing, ...adds];
        if (shortens) {
          writableMeta(draft).deletionGracePeriodSeconds = grace;
          writableMeta(draft).deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
        }
      },
    };
  }
  if (grace === 0 && !held) return { action: 'remove' };
  return {
    action: 'mark',
    mark: (draft) => {
      if (adds.length) draft.metadata.finalizers = [...existing, ...adds];
      writableMeta(draft).deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
      writableMeta(draft).deletionGracePeriodSeconds = grace;
      if (isNamespace) draft.status = { ...(draft.status as object), phase: 'Terminating' };
      if (isCRD) markCRDTerminating(draft, rfc3339(now));
    },
  };
}

/** Kubernetes' first deletion of a CRD: Terminating=True, the cleanup of its objects pending. */
function markCRDTerminating(draft: KubeObject, now: string): void {
  const status = (draft.status ?? {}) as { conditions?: CRDCondition[] };
  const conditions = setCondition(
    status.conditions,
    {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    },
    { now },
  );
  draft.status = { ...status, conditions };
}
