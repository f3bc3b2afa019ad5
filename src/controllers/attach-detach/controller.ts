/**
 * The attach-detach controller, as Kubernetes' (with the CSI external-attacher's part): for each
 * PersistentVolume whose provider attaches volumes, a VolumeAttachment (storage.k8s.io/v1) per
 * node that runs a pod using the volume's claim; the provider's `attach` is called and
 * status.attached set, which the node agent waits for before it mounts. Once no pod on a node
 * uses the volume (the pods are gone or finished), the provider's `detach` is called and the
 * VolumeAttachment deleted. A failing attach leaves FailedAttachVolume events on the pods and
 * status.attachError, and is retried with back-off. Keyed by PersistentVolume name.
 */
import type { VolumeProvider } from '../../cloud-providers/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, Pod, VolumeAttachment } from '../../model/types.js';
import { ATTACH_REQUIRED_ANNOTATION, volumeAttachmentName } from '../../model/volume-attachment.js';
import { TugboatError } from '../../model/errors.js';
import { PROVISIONED_BY_ANNOTATION } from '../persistentvolume/binder.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';

const PV = { apiVersion: 'v1', kind: 'PersistentVolume' } as const;
const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
const VA = { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment' } as const;
/** The component name on Events. */
export const ATTACH_DETACH_COMPONENT = 'attachdetach-controller';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The pods (placed, not finished) that use the volume's bound claim, by node. */
function consumersByNode(pv: PersistentVolume, pods: readonly Pod[]): Map<string, Pod[]> {
  const ref = pv.spec?.claimRef;
  const out = new Map<string, Pod[]>();
  if (!ref?.name) return out;
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    if (!(p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === ref.name)) continue;
    out.set(node, [...(out.get(node) ?? []), p]);
  }
  return out;
}

/** The attach-detach controller over the provider's volumes part (a no-op for a provider without `attach`). */
export function attachDetachController(options: { volumes?: VolumeProvider } = {}): Controller {
  const provider = options.volumes;

  async function attach(
    ctx: ReconcileContext,
    pv: PersistentVolume,
    attacher: string,
    node: string,
    pods: Pod[],
    existing?: VolumeAttachment,
  ) {
    const vas = ctx.client<VolumeAttachment>(VA.apiVersion, VA.kind);
    const name = volumeAttachmentName(pv.metadata.name ?? '', attacher, node);
    let va = existing;
    if (!va) {
      try {
        va = await vas.create({
          apiVersion: VA.apiVersion,
          kind: VA.kind,
          metadata: { name },
          spec: { attacher, nodeName: node, source: { persistentVolumeName: pv.metadata.name } },
        } as VolumeAttachment);
      } catch (err) {
        if (!TugboatError.is(err, 'AlreadyExists')) throw err;
        va = await vas.get(name);
      }
    }
    if (va.status?.attached) return;
    try {
      await provider!.attach!(pv, node);
    } catch (err) {
      const text = `AttachVolume.Attach failed for volume "${pv.metadata.name}" : ${message(err)}`;
      await vas.patchStatus(
        name,
        { status: { attached: false, attachError: { time: rfc3339(ctx.clock.now()), message: message(err) } } },
        'merge',
      );
      for (const p of pods) await ctx.events.record(p, 'Warning', 'FailedAttachVolume', text, ATTACH_DETACH_COMPONENT);
      throw err;
    }
    await vas.patchStatus(name, { status: { attached: true, attachError: null } }, 'merge');
    for (const p of pods)
      await ctx.events.record(
        p,
        'Normal',
        'SuccessfulAttachVolume',
        `AttachVolume.Attach succeeded for volume "${pv.metadata.name}"`,
        ATTACH_DETACH_COMPONENT,
      );
  }

  async function detach(ctx: ReconcileContext, pv: PersistentVolume | undefined, va: VolumeAttachment) {
    const vas = ctx.client<VolumeAttachment>(VA.apiVersion, VA.kind);
    if (pv && va.status?.attached && provider?.detach) {
      try {
        await provider.detach(pv, va.spec?.nodeName ?? '');
      } catch (err) {
        await vas.patchStatus(
          va.metadata.name ?? '',
          { status: { detachError: { time: rfc3339(ctx.clock.now()), message: message(err) } } },
          'merge',
        );
        throw err;
      }
    }
    await vas.delete(va.metadata.name ?? '').catch((err) => {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    });
  }

  return {
    name: ATTACH_DETACH_COMPONENT,
    for: PV,
    watches: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        async map(obj: KubeObject, cache) {
          const pod = obj as Pod;
          const out: { name: string }[] = [];
          for (const v of pod.spec?.volumes ?? []) {
            const claim = v.persistentVolumeClaim?.claimName;
            if (!claim) continue;
            const pvc = (await cache.list<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, { namespace: pod.metadata.namespace })).find(
              (c) => c.metadata.name === claim,
            );
            if (pvc?.spec?.volumeName) out.push({ name: pvc.spec.volumeName });
          }
          return out;
        },
      },
      {
        ...VA,
        map: (obj: KubeObject) => {
          const pvName = (obj as VolumeAttachment).spec?.source?.persistentVolumeName;
          return pvName ? [{ name: pvName }] : [];
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      if (!provider?.attach) return;
      const pv = await ctx.client<PersistentVolume>(PV.apiVersion, PV.kind).find(req.name);
      const attachments = (await ctx.cache.list<VolumeAttachment>(VA.apiVersion, VA.kind)).filter(
        (a) => a.spec?.source?.persistentVolumeName === req.name,
      );
      const attacher = pv?.metadata.annotations?.[PROVISIONED_BY_ANNOTATION];
      const attachable =
        !!pv &&
        !pv.metadata.deletionTimestamp &&
        pv.metadata.annotations?.[ATTACH_REQUIRED_ANNOTATION] === 'true' &&
        !!attacher &&
        provider.provisioners.includes(attacher);
      const wanted = attachable
        ? consumersByNode(pv, await ctx.cache.list<Pod>('v1', 'Pod', { namespace: pv.spec?.claimRef?.namespace }))
        : new Map<string, Pod[]>();
      for (const va of attachments) if (!wanted.has(va.spec?.nodeName ?? '')) await detach(ctx, pv, va);
      for (const [node, pods] of wanted)
        await attach(
          ctx,
          pv!,
          attacher!,
          node,
          pods,
          attachments.find((a) => a.spec?.nodeName === node),
        );
    },
  };
}
