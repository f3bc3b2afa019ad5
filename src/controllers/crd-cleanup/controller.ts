/**
 * The CRD cleanup controller (Kubernetes' CRDFinalizer): when a CustomResourceDefinition is
 * deleted, deletes every object of its kind through the API (so their own finalizers and the
 * garbage collector are honoured), then removes the `customresourcecleanup.apiextensions.k8s.io`
 * finalizer, and the CRD (and its kind) go. Its Terminating condition tells how far it got.
 */
import type { CustomResourceDefinition, KubeObject } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { CRD_CLEANUP_FINALIZER, crdKindRef, type CRDCondition } from '../../model/crd.js';
import { setCondition } from '../../model/conditions.js';
import { rfc3339 } from '../../clock/time-format.js';
import { ALL_NAMESPACES, type ResourceClient } from '../../client/types.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';

const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' } as const;

/** Options of {@link crdCleanupController}. */
export interface CrdCleanupOptions {
  /** How long to wait before looking again while objects of the kind remain (held by finalizers). @default 1000 */
  recheckMs?: number;
}

type Terminating = Omit<CRDCondition, 'lastTransitionTime' | 'type'>;

/** Creates the CRD cleanup controller. */
export function crdCleanupController(options: CrdCleanupOptions = {}): Controller {
  const recheckMs = options.recheckMs ?? 1000;
  return {
    name: 'customresourcedefinition-cleanup',
    for: CRD,
    async reconcile(request, ctx): Promise<ReconcileResult | void> {
      const crds = ctx.client<CustomResourceDefinition>(CRD.apiVersion, CRD.kind);
      let crd = await crds.find(request.name);
      if (!crd?.metadata.deletionTimestamp || !crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER)) return;
      crd = await setTerminating(ctx, crds, crd, {
        status: 'True',
        reason: 'InstanceDeletionInProgress',
        message: 'CustomResource deletion is in progress',
      });
      const objects = instances(ctx, crd);
      if (objects) {
        const remaining = await deleteAll(ctx, crds, crd, objects);
        if (remaining > 0) {
          await setTerminating(ctx, crds, crd, {
            status: 'True',
            reason: 'InstanceDeletionCheck',
            message: `could not confirm zero CustomResources remaining: ${remaining} remaining`,
          });
          return { requeueAfterMs: recheckMs };
        }
      }
      crd = await setTerminating(ctx, crds, crd, {
        status: 'False',
        reason: 'InstanceDeletionCompleted',
        message: 'removed all instances',
      });
      const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
      await crds.patch(crd.metadata.name ?? '', { metadata: { finalizers, resourceVersion: crd.metadata.resourceVersion } });
    },
  };
}

/** A client over every object of the CRD's kind, or undefined when this API does not serve it. */
function instances(ctx: ReconcileContext, crd: CustomResourceDefinition): ResourceClient | undefined {
  const ref = crdKindRef(crd);
  if (!ref) return undefined;
  try {
    return ctx.client(ref.apiVersion, ref.kind, ref.namespaced ? ALL_NAMESPACES : undefined);
  } catch (err) {
    if (TugboatError.is(err, 'BadRequest') || TugboatError.is(err, 'NotFound')) return undefined; // never served
    throw err;
  }
}

/**
 * Deletes every object of the kind that is not being deleted yet; returns how many objects are
 * left (held by their finalizers or a graceful deletion).
 */
async function deleteAll(
  ctx: ReconcileContext,
  crds: ResourceClient<CustomResourceDefinition>,
  crd: CustomResourceDefinition,
  all: ResourceClient,
): Promise<number> {
  let items: KubeObject[];
  try {
    items = (await all.list()).items;
  } catch (err) {
    if (TugboatError.is(err, 'NotFound')) return 0;
    await failed(ctx, crds, crd, `could not list instances: ${(err as Error).message}`);
    throw err;
  }
  let remaining = 0;
  for (const obj of items) {
    const { namespace, name = '' } = obj.metadata;
    try {
      const after = obj.metadata.deletionTimestamp
        ? obj
        : await ctx.client(obj.apiVersion, obj.kind, namespace).delete(name, { preconditions: { uid: obj.metadata.uid } });
      if (after.metadata.deletionTimestamp) remaining++;
    } catch (err) {
      if (TugboatError.is(err, 'NotFound')) continue;
      if (TugboatError.is(err, 'Conflict')) {
        remaining++; // replaced meanwhile: the next pass deletes the new one
        continue;
      }
      await failed(ctx, crds, crd, `could not issue all deletes: ${(err as Error).message}`);
      throw err;
    }
  }
  return remaining;
}

async function failed(
  ctx: ReconcileContext,
  crds: ResourceClient<CustomResourceDefinition>,
  crd: CustomResourceDefinition,
  message: string,
): Promise<void> {
  await setTerminating(ctx, crds, crd, { status: 'True', reason: 'InstanceDeletionFailed', message }).catch(() => {});
}

/** Writes the Terminating condition (a status write) unless it says that already. */
async function setTerminating(
  ctx: ReconcileContext,
  crds: ResourceClient<CustomResourceDefinition>,
  crd: CustomResourceDefinition,
  cond: Terminating,
): Promise<CustomResourceDefinition> {
  const current = crd.status?.conditions?.find((c) => c.type === 'Terminating');
  if (current && current.status === cond.status && current.reason === cond.reason && current.message === cond.message) return crd;
  const conditions = setCondition(crd.status?.conditions, { type: 'Terminating', ...cond }, { now: rfc3339(ctx.clock.now()) });
  return crds.updateStatus({ ...crd, status: { ...crd.status, conditions } } as CustomResourceDefinition);
}
