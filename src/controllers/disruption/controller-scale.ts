/**
 * The scale of the controllers of a budget's pods (getExpectedScale): each pod's controller is
 * found as Kubernetes' finders find it (a ReplicaSet owned by a Deployment counts the
 * Deployment's replicas; a ReplicaSet, StatefulSet or ReplicationController its own), and any
 * other kind through its scale subresource. Pods without a controller are reported, not counted.
 */
import type { Deployment, KubeObject, OwnerReference, Pod, ReplicaSet, StatefulSet } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { kinds } from '../../client/kinds.js';
import type { ReconcileContext } from '../runtime/types.js';
import { controllerOf } from '../util/controller-ref.js';

interface ControllerScale {
  uid: string;
  scale: number;
}

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? (v.split('/')[0] ?? '') : '';
}

function replicasOf(obj: KubeObject): number {
  const r = (obj.spec as { replicas?: number } | undefined)?.replicas;
  return typeof r === 'number' ? r : 1;
}

async function findController(ctx: ReconcileContext, ref: OwnerReference, ns: string | undefined): Promise<ControllerScale | undefined> {
  const group = groupOf(ref.apiVersion);
  if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
    const rs = await ctx.cache.get<ReplicaSet>(kinds.ReplicaSet, ns, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    const owner = controllerOf(rs);
    if (owner?.kind === 'Deployment' && ['apps', 'extensions'].includes(groupOf(owner.apiVersion))) {
      const d = await ctx.cache.get<Deployment>(kinds.Deployment, ns, owner.name);
      if (!d || d.metadata.uid !== owner.uid) return undefined;
      return { uid: d.metadata.uid ?? '', scale: replicasOf(d) };
    }
    if (owner?.kind === 'Deployment') return undefined;
    return { uid: rs.metadata.uid ?? '', scale: replicasOf(rs) };
  }
  if (ref.kind === 'StatefulSet' && group === 'apps') {
    const ss = await ctx.cache.get<StatefulSet>(kinds.StatefulSet, ns, ref.name);
    if (!ss || ss.metadata.uid !== ref.uid) return undefined;
    return { uid: ss.metadata.uid ?? '', scale: replicasOf(ss) };
  }
  // Any other kind (a ReplicationController, a custom resource): through its scale subresource.
  try {
    const scale = await ctx.client(ref.apiVersion, ref.kind, ns).getScale(ref.name);
    if (scale.metadata.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
  } catch (err) {
    if (!TugboatError.is(err, 'NotFound')) throw err;
    const subject = err.status.details?.kind ?? '';
    if (subject.endsWith('/scale')) {
      const group = groupOf(ref.apiVersion);
      const resource = subject.slice(0, -'/scale'.length);
      throw new Error(`${group ? `${resource}.${group}` : resource} does not implement the scale subresource`);
    }
    return undefined;
  }
}

/**
 * The sum of the scales of the pods' controllers, and the names of the pods with none. Fails
 * (`found no controllers for pod "x"`) when a pod's controller cannot be found, and when it
 * has no scale subresource (a DaemonSet, a Job).
 */
export async function expectedScale(
  ctx: ReconcileContext,
  pods: readonly Pod[],
): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await findController(ctx, ref, pod.metadata.namespace);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}
