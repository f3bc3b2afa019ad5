/**
 * VolumeBinding: a pod's PersistentVolumeClaims must exist and, unless their StorageClass
 * binds WaitForFirstConsumer, be bound before the pod is placed; a bound volume's node affinity
 * limits the nodes (kube-scheduler's VolumeBinding PreFilter and Filter). The claims, volumes
 * and classes are read through the listers the scheduler hands it (its informers).
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../model/types.js';
import { matchNodeSelectorTerm, matchTopologySelectorTerms } from '../../model/node-affinity.js';
import type { CycleState, FilterPlugin, PreFilterPlugin } from '../types.js';
import { skip, success, unresolvable } from '../status.js';

/** The reason for a pod whose volumes are bound to volumes that do not fit the node. */
export const ERR_VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
/** The reason for a node where an unbound WaitForFirstConsumer claim cannot be provisioned (outside allowedTopologies). */
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** The reason for a pod with an unbound claim of an Immediate class. */
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

/** What VolumeBinding reads: claims, volumes and StorageClasses as the scheduler's caches hold them. */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
}

const KEY = 'VolumeBinding';

/** What PreFilter hands Filter: the pod's bound volumes and the classes of the claims still to provision. */
interface VolumeState {
  bound: PersistentVolume[];
  toProvision: StorageClass[];
}

/** Creates the VolumeBinding plugin over `listers`. */
export function volumeBindingPlugin(listers: VolumeListers): PreFilterPlugin & FilterPlugin {
  return {
    name: KEY,
    preFilter(pod: Pod, state: CycleState) {
      const bound: PersistentVolume[] = [];
      const toProvision: StorageClass[] = [];
      const ns = pod.metadata.namespace ?? 'default';
      let claims = 0;
      for (const v of pod.spec?.volumes ?? []) {
        const name = v.persistentVolumeClaim?.claimName;
        if (!name) continue;
        claims++;
        const claim = listers.claim(ns, name);
        if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        const volumeName = claim.spec?.volumeName;
        if (volumeName && claim.status?.phase === 'Bound') {
          const pv = listers.volume(volumeName);
          if (pv) bound.push(pv);
          continue;
        }
        const sc = claim.spec?.storageClassName ? listers.storageClass(claim.spec.storageClassName) : undefined;
        if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable(ERR_UNBOUND_IMMEDIATE);
        if ((sc.allowedTopologies ?? []).length > 0) toProvision.push(sc);
      }
      // A pod without claims (almost every pod): Skip, and Filter is not run (as kube-scheduler).
      if (claims === 0) return skip();
      // One entry, absent when there is nothing to check on nodes.
      state.write(KEY, bound.length || toProvision.length ? ({ bound, toProvision } satisfies VolumeState) : undefined);
      return success();
    },
    filter(_pod: Pod, nodeInfo, state: CycleState) {
      const volumes = state.read<VolumeState>(KEY);
      if (!volumes) return success();
      const node = nodeInfo.node as Node | undefined;
      for (const pv of volumes.bound) {
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms && node && !terms.some((t) => matchNodeSelectorTerm(t, node))) return unresolvable(ERR_VOLUME_NODE_CONFLICT);
      }
      // checkVolumeProvisions: a claim to provision on this node needs the node inside its class's allowedTopologies.
      for (const sc of volumes.toProvision) {
        if (node && !matchTopologySelectorTerms(sc.allowedTopologies, node.metadata.labels ?? {})) return unresolvable(ERR_BIND_CONFLICT);
      }
      return success();
    },
  };
}
