/**
 * The persistentvolume controller, as Kubernetes' pkg/controller/volume/persistentvolume: binds
 * claims to volumes (pre-bound, else the smallest that fits), gives a claim that names no class
 * the default StorageClass, provisions a volume through the cloud provider's `volumes` part
 * when none fits (at once for Immediate classes, once a node is selected for
 * WaitForFirstConsumer), marks volumes Available, Bound or Released, and reclaims released
 * volumes (Retain keeps them, Delete deletes the volume and its data). Two loops: one over
 * claims, one over volumes. Decisions are the pure functions of `binder.ts`.
 */
import type { KubeObject, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../model/types.js';
import { nodeInAllowedTopologies } from '../../cloud-providers/volume-topology.js';
import { ATTACH_REQUIRED_ANNOTATION } from '../../model/volume-attachment.js';
import type { VolumeProvider } from '../../cloud-providers/types.js';
import { TugboatError } from '../../model/errors.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import {
  BIND_COMPLETED_ANNOTATION,
  BOUND_BY_CONTROLLER_ANNOTATION,
  claimRefOf,
  defaultStorageClass,
  findVolumeFor,
  PROVISIONED_BY_ANNOTATION,
  provisionedVolume,
  provisionedVolumeName,
  SELECTED_NODE_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION,
  volumePhase,
} from './binder.js';

const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
const PV = { apiVersion: 'v1', kind: 'PersistentVolume' } as const;
const SC = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' } as const;
/** The component name on Events. */
export const PV_COMPONENT = 'persistentvolume-controller';

/** Options of the persistentvolume controllers. */
export interface PersistentVolumeControllerOptions {
  /** The cloud provider's volumes part: provisions and deletes volumes of the classes it serves. */
  volumes?: VolumeProvider;
}

function ignoreNotFound(err: unknown): void {
  if (!TugboatError.is(err, 'NotFound')) throw err;
}

async function pendingClaims(cache: ReconcileContext['cache']) {
  const claims = await cache.list<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind);
  return claims.filter((c) => c.status?.phase !== 'Bound').map((c) => ({ namespace: c.metadata.namespace, name: c.metadata.name ?? '' }));
}

/** The claim loop: default class, binding, provisioning. */
export function persistentVolumeClaimController(options: PersistentVolumeControllerOptions = {}): Controller {
  async function bind(ctx: ReconcileContext, pvc: PersistentVolumeClaim, pv: PersistentVolume): Promise<void> {
    const pvs = ctx.client<PersistentVolume>(PV.apiVersion, PV.kind);
    if (!pv.spec?.claimRef?.uid) {
      pv = await pvs.patch(
        pv.metadata.name ?? '',
        { metadata: { annotations: { [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' } }, spec: { claimRef: claimRefOf(pvc) } },
        'merge',
      );
    }
    if (pv.status?.phase !== 'Bound') await pvs.patchStatus(pv.metadata.name ?? '', { status: { phase: 'Bound' } }, 'merge');
    const pvcs = ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, pvc.metadata.namespace);
    const bound = await pvcs.patch(
      pvc.metadata.name ?? '',
      {
        metadata: {
          annotations: { [BIND_COMPLETED_ANNOTATION]: 'yes', ...(pvc.spec?.volumeName ? {} : { [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' }) },
        },
        spec: { volumeName: pv.metadata.name },
      },
      'merge',
    );
    await pvcs.patchStatus(
      bound.metadata.name ?? '',
      { status: { phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity } },
      'merge',
    );
  }

  async function provision(ctx: ReconcileContext, pvc: PersistentVolumeClaim, sc: StorageClass): Promise<void> {
    const provider = options.volumes;
    if (!provider?.provisioners.includes(sc.provisioner)) {
      await ctx.events.record(
        pvc,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        PV_COMPONENT,
      );
      return;
    }
    if (pvc.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION] !== sc.provisioner)
      await ctx
        .client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, pvc.metadata.namespace)
        .patch(pvc.metadata.name ?? '', { metadata: { annotations: { [STORAGE_PROVISIONER_ANNOTATION]: sc.provisioner } } }, 'merge');
    const name = provisionedVolumeName(pvc);
    const selectedNode = pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
    const failed = async (message: string) =>
      ctx.events.record(
        pvc,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${sc.metadata.name}": ${message}`,
        PV_COMPONENT,
      );
    if (selectedNode && (sc.allowedTopologies ?? []).length > 0) {
      // The selected node must lie inside the class's allowedTopologies (the provisioner's check).
      const node = await ctx.client<Node>('v1', 'Node').find(selectedNode);
      if (!node || !nodeInAllowedTopologies(sc, node)) {
        await failed(`node "${selectedNode}" is not in the allowed topologies of the StorageClass`);
        throw new Error(`node ${selectedNode} is outside the allowed topologies of ${sc.metadata.name}`);
      }
    }
    let made;
    try {
      made = await provider.provision({ volumeName: name, claim: pvc, storageClass: sc, ...(selectedNode ? { selectedNode } : {}) });
    } catch (err) {
      // Left Pending; the controller runtime retries with back-off.
      await failed(err instanceof Error ? err.message : String(err));
      throw err;
    }
    try {
      const pv = provisionedVolume(pvc, sc, made.source, made.nodeAffinity);
      // A provider that attaches volumes: the node agent waits for the VolumeAttachment (as a CSIDriver's attachRequired).
      if (provider.attach) pv.metadata.annotations = { ...pv.metadata.annotations, [ATTACH_REQUIRED_ANNOTATION]: 'true' };
      await ctx.client<PersistentVolume>(PV.apiVersion, PV.kind).create(pv);
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists')) throw err;
    }
    await ctx.events.record(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, PV_COMPONENT);
  }

  return {
    name: `${PV_COMPONENT}-claims`,
    for: PVC,
    watches: [
      {
        ...PV,
        async map(obj: KubeObject, cache) {
          const pv = obj as PersistentVolume;
          const ref = pv.spec?.claimRef;
          if (ref?.name) return [{ namespace: ref.namespace, name: ref.name }];
          return pendingClaims(cache);
        },
      },
      { ...SC, map: (_obj, cache) => pendingClaims(cache) },
      {
        // A pod placed on a node selects the node of its WaitForFirstConsumer claims.
        apiVersion: 'v1',
        kind: 'Pod',
        map(obj: KubeObject) {
          const pod = obj as Pod;
          if (!pod.spec?.nodeName) return [];
          return (pod.spec.volumes ?? [])
            .filter((v) => v.persistentVolumeClaim?.claimName)
            .map((v) => ({ namespace: pod.metadata.namespace, name: v.persistentVolumeClaim?.claimName ?? '' }));
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const pvcs = ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, req.namespace);
      const pvc = await pvcs.find(req.name);
      if (!pvc || pvc.metadata.deletionTimestamp) return;
      const pvs = await ctx.cache.list<PersistentVolume>(PV.apiVersion, PV.kind);
      if (pvc.status?.phase === 'Bound' && pvc.spec?.volumeName) {
        const pv = pvs.find((v) => v.metadata.name === pvc.spec?.volumeName);
        if (!pv && !(await ctx.client<PersistentVolume>(PV.apiVersion, PV.kind).find(pvc.spec.volumeName))) {
          await pvcs.patchStatus(pvc.metadata.name ?? '', { status: { phase: 'Lost' } }, 'merge');
          await ctx.events.record(
            pvc,
            'Warning',
            'ClaimLost',
            'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
            PV_COMPONENT,
          );
        }
        return;
      }
      const classes = await ctx.cache.list<StorageClass>(SC.apiVersion, SC.kind);
      if (pvc.spec?.storageClassName === undefined) {
        const def = defaultStorageClass(classes);
        if (def) {
          await pvcs.patch(pvc.metadata.name ?? '', { spec: { storageClassName: def.metadata.name } }, 'merge');
          return;
        }
      }
      const pv = findVolumeFor(pvc, pvs);
      if (pv) {
        await bind(ctx, pvc, pv);
        return;
      }
      if (pvc.spec?.volumeName) {
        await ctx.events.record(
          pvc,
          'Warning',
          'FailedBinding',
          `volume "${pvc.spec.volumeName}" not found or does not fit the claim`,
          PV_COMPONENT,
        );
        return;
      }
      const className = pvc.spec?.storageClassName ?? '';
      const sc = className ? classes.find((c) => c.metadata.name === className) : undefined;
      if (!sc) {
        const msg = className
          ? `storageclass.storage.k8s.io "${className}" not found`
          : 'no persistent volumes available for this claim and no storage class is set';
        await ctx.events.record(
          pvc,
          className ? 'Warning' : 'Normal',
          className ? 'ProvisioningFailed' : 'FailedBinding',
          msg,
          PV_COMPONENT,
        );
        return;
      }
      if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION]) {
        const consumer = (await ctx.cache.list<Pod>('v1', 'Pod', { namespace: pvc.metadata.namespace })).find(
          (p) => p.spec?.nodeName && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name),
        );
        if (consumer) {
          // What the scheduler's VolumeBinding PreBind writes in Kubernetes: the node the claim's pod went to.
          await pvcs.patch(
            pvc.metadata.name ?? '',
            { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: consumer.spec?.nodeName } } },
            'merge',
          );
          return;
        }
        await ctx.events.record(
          pvc,
          'Normal',
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
          PV_COMPONENT,
        );
        return;
      }
      if (pvs.some((v) => v.metadata.name === provisionedVolumeName(pvc))) return; // made: the PV watch binds it
      await provision(ctx, pvc, sc);
    },
  };
}

/** The volume loop: phases, release, reclaim. */
export function persistentVolumeController(options: PersistentVolumeControllerOptions = {}): Controller {
  return {
    name: `${PV_COMPONENT}-volumes`,
    for: PV,
    watches: [
      {
        ...PVC,
        async map(obj: KubeObject, cache) {
          const pvc = obj as PersistentVolumeClaim;
          const out = pvc.spec?.volumeName ? [{ name: pvc.spec.volumeName }] : [];
          const pvs = await cache.list<PersistentVolume>(PV.apiVersion, PV.kind);
          for (const pv of pvs)
            if (pv.spec?.claimRef?.name === pvc.metadata.name && pv.spec?.claimRef?.namespace === pvc.metadata.namespace)
              out.push({ name: pv.metadata.name ?? '' });
          return out;
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const pvs = ctx.client<PersistentVolume>(PV.apiVersion, PV.kind);
      const pv = await pvs.find(req.name);
      if (!pv || pv.metadata.deletionTimestamp) return;
      const ref = pv.spec?.claimRef;
      const claim = ref?.name ? await ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, ref.namespace).find(ref.name) : undefined;
      const phase = volumePhase(pv, claim);
      if (phase && phase !== pv.status?.phase && pv.status?.phase !== 'Failed')
        await pvs.patchStatus(pv.metadata.name ?? '', { status: { phase } }, 'merge');
      if (phase !== 'Released') return;
      const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
      if (policy === 'Retain') return;
      if (policy !== 'Delete') {
        await ctx.events.record(
          pv,
          'Warning',
          'VolumeUnknownReclaimPolicy',
          `Volume has unrecognized PersistentVolumeReclaimPolicy "${policy}"`,
          PV_COMPONENT,
        );
        return;
      }
      const by = pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION];
      const provider = options.volumes;
      if (!by || !provider?.provisioners.includes(by)) {
        const msg = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
        await pvs.patchStatus(pv.metadata.name ?? '', { status: { phase: 'Failed', message: msg } }, 'merge');
        await ctx.events.record(pv, 'Warning', 'VolumeFailedDelete', msg, PV_COMPONENT);
        return;
      }
      try {
        await provider.delete(pv);
      } catch (err) {
        // As Kubernetes' persistentvolume controller: an Event, and the deletion retried with back-off.
        await ctx.events.record(pv, 'Warning', 'VolumeFailedDelete', err instanceof Error ? err.message : String(err), PV_COMPONENT);
        throw err;
      }
      await pvs.delete(pv.metadata.name ?? '').catch(ignoreNotFound);
    },
  };
}
