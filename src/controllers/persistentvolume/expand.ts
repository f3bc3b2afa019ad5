/**
 * Volume expansion, as Kubernetes' external-resizer: a bound claim asking for more storage than
 * its volume has (the API admitted it only for a class with allowVolumeExpansion) gets the
 * condition Resizing while the provider's `expand` runs; the PersistentVolume's capacity then
 * grows, and either the claim's status.capacity follows at once or, when the file system must be
 * grown on the node, the claim shows FileSystemResizePending until the node agent finishes it.
 * A failing expand leaves a VolumeResizeFailed event and is retried with back-off.
 */
import type { VolumeProvider } from '../../cloud-providers/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import { removeCondition, setCondition } from '../../model/conditions.js';
import { parseQuantity } from '../../model/quantity.js';
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, core } from '../../model/types.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { PROVISIONED_BY_ANNOTATION } from './binder.js';

const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
const PV = { apiVersion: 'v1', kind: 'PersistentVolume' } as const;
/** The component name on the resizer's Events. */
export const RESIZER_COMPONENT = 'external-resizer';
/** The message of FileSystemResizePending, as Kubernetes writes it. */
export const FS_RESIZE_PENDING_MESSAGE = 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.';

type ClaimCondition = core.PersistentVolumeClaimCondition;

/** Whether a quantity is larger than another (absent counts as 0). */
function larger(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  try {
    return parseQuantity(a).cmp(b ?? '0') > 0;
  } catch {
    return false;
  }
}

/** The expand controller over the provider's volumes part. */
export function volumeExpandController(options: { volumes?: VolumeProvider } = {}): Controller {
  async function setConditions(ctx: ReconcileContext, pvc: PersistentVolumeClaim, conditions: ClaimCondition[], capacity?: string) {
    await ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, pvc.metadata.namespace).patchStatus(
      pvc.metadata.name ?? '',
      {
        status: {
          conditions: conditions.length ? conditions : null,
          ...(capacity ? { capacity: { ...(pvc.status?.capacity ?? {}), storage: capacity } } : {}),
        },
      },
      'merge',
    );
  }

  return {
    name: 'volume-expand',
    for: PVC,
    watches: [
      {
        ...PV,
        map(obj: KubeObject) {
          const ref = (obj as PersistentVolume).spec?.claimRef;
          return ref?.name ? [{ namespace: ref.namespace, name: ref.name }] : [];
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const pvc = await ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, req.namespace).find(req.name);
      if (!pvc || pvc.metadata.deletionTimestamp || pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) return;
      const pv = await ctx.client<PersistentVolume>(PV.apiVersion, PV.kind).find(pvc.spec.volumeName);
      if (!pv) return;
      const wanted = pvc.spec.resources?.requests?.storage;
      if (!larger(wanted, pv.spec?.capacity?.storage)) return;
      const size = wanted as string;
      const provider = options.volumes;
      const by = pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION];
      if (!provider?.expand || !by || !provider.provisioners.includes(by)) {
        await ctx.events.record(
          pvc,
          'Normal',
          'ExternalExpanding',
          'waiting for an external controller to expand this PVC',
          'volume_expand',
        );
        return;
      }
      const now = rfc3339(ctx.clock.now());
      const resizing = setCondition<ClaimCondition>(pvc.status?.conditions, {
        type: 'Resizing',
        status: 'True',
        lastProbeTime: now,
        lastTransitionTime: now,
      });
      if (resizing !== pvc.status?.conditions) await setConditions(ctx, pvc, resizing);
      await ctx.events.record(pvc, 'Normal', 'Resizing', `External resizer is resizing volume ${pv.metadata.name}`, RESIZER_COMPONENT);
      let made;
      try {
        made = await provider.expand(pv, size);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await ctx.events.record(
          pvc,
          'Warning',
          'VolumeResizeFailed',
          `resize volume "${pv.metadata.name}" by resizer "${by}" failed: ${message}`,
          RESIZER_COMPONENT,
        );
        throw err;
      }
      await ctx
        .client<PersistentVolume>(PV.apiVersion, PV.kind)
        .patch(pv.metadata.name ?? '', { spec: { capacity: { ...(pv.spec?.capacity ?? {}), storage: made.capacity } } }, 'merge');
      const rest = removeCondition(resizing, 'Resizing');
      if (made.nodeExpansionRequired) {
        const pending = setCondition<ClaimCondition>(rest, {
          type: 'FileSystemResizePending',
          status: 'True',
          message: FS_RESIZE_PENDING_MESSAGE,
          lastProbeTime: now,
          lastTransitionTime: now,
        });
        await setConditions(ctx, pvc, pending);
        await ctx.events.record(
          pvc,
          'Normal',
          'FileSystemResizeRequired',
          'Require file system resize of volume on node',
          RESIZER_COMPONENT,
        );
        return;
      }
      await setConditions(ctx, pvc, rest, made.capacity);
      await ctx.events.record(pvc, 'Normal', 'VolumeResizeSuccessful', 'Resize volume succeeded', RESIZER_COMPONENT);
    },
  };
}
