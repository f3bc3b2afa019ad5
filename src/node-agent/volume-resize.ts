/**
 * The node side of volume expansion, as the kubelet's NodeExpandVolume: a claim a pod on this
 * node uses that shows FileSystemResizePending (its volume grew, its file system not yet) is
 * finished while the pod runs (online expansion): the claim's status.capacity becomes the
 * volume's and the condition goes, with Kubernetes' FileSystemResizeSuccessful event on the pod.
 * Local volumes are folders, so there is no file system to grow here.
 */
import { removeCondition } from '../model/conditions.js';
import type { PersistentVolumeClaim, Pod } from '../model/types.js';
import type { WorkerEnv } from './worker-env.js';

/** Finishes the pending file-system resizes of the pod's claims. */
export async function finishResizes(env: WorkerEnv, pod: Pod): Promise<void> {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = await env.source.claim?.(ns, name);
    if (!claim?.status?.conditions?.some((c) => c.type === 'FileSystemResizePending' && c.status === 'True')) continue;
    const pv = claim.spec?.volumeName ? await env.source.volume?.(claim.spec.volumeName) : undefined;
    const capacity = pv?.spec?.capacity?.storage;
    if (!pv || !capacity) continue;
    const conditions = removeCondition(claim.status.conditions, 'FileSystemResizePending');
    await env.ctx.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', ns).patchStatus(
      name,
      {
        status: { capacity: { ...(claim.status.capacity ?? {}), storage: capacity }, conditions: conditions.length ? conditions : null },
      },
      'merge',
    );
    env.record(
      pod,
      'Normal',
      'FileSystemResizeSuccessful',
      `MountVolume.NodeExpandVolume succeeded for volume "${pv.metadata.name}" ${env.owner.nodeName}`,
    );
  }
}
