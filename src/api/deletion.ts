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
export type DeletionPlan = { action: 'remove' } | { action: 'none' } | { action: 'mark'; mark(draft: KubeObject): void };

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
 * Checks the types of DeleteOptions as the API server's decoder does (BadRequest naming the
 * field): gracePeriodSeconds an int64, preconditions strings, propagationPolicy a string.
 */
export function checkDeleteOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  const bad = (field: string, value: unknown, type: string): never => {
    const got = Array.isArray(value) ? 'array' : typeof value === 'number' ? `number ${value}` : typeof value;
    throw new TugboatError('BadRequest', `json: cannot unmarshal ${got} into Go struct field DeleteOptions.${field} of type ${type}`, {
      kind: 'DeleteOptions',
      causes: [{ field, message: `Invalid value: expected ${type}`, reason: 'FieldValueTypeInvalid' }],
    });
  };
  if (typeof options !== 'object' || Array.isArray(options)) bad('', options, 'v1.DeleteOptions');
  const o = options as Record<string, unknown>;
  const grace = o.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && !(typeof grace === 'number' && Number.isSafeInteger(grace)))
    bad('gracePeriodSeconds', grace, 'int64');
  if (o.propagationPolicy !== undefined && o.propagationPolicy !== null && typeof o.propagationPolicy !== 'string') {
    bad('propagationPolicy', o.propagationPolicy, 'v1.DeletionPropagation');
  }
  const pre = o.preconditions;
  if (pre !== undefined && pre !== null) {
    if (typeof pre !== 'object' || Array.isArray(pre)) bad('preconditions', pre, 'v1.Preconditions');
    for (const f of ['uid', 'resourceVersion']) {
      const v = (pre as Record<string, unknown>)[f];
      if (v !== undefined && v !== null && typeof v !== 'string') bad(`preconditions.${f}`, v, 'string');
    }
  }
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
    throw TugboatError.badRequest(
      `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Background", "Foreground", "Orphan"`,
    );
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
