/**
 * The pod watch every pod-owning controller (ReplicaSet, Job, DaemonSet) needs, as Kubernetes'
 * controllers' addPod/updatePod/deletePod: an event on a pod enqueues its controlling owner of
 * the controller's kind (noting the creation or deletion in the owner's expectations); an orphan
 * enqueues every owner in its namespace that could adopt it.
 */
import type { KubeObject, Pod } from '../../model/types.js';
import type { KindRef, ObservedChange, ReconcileRequest, WatchSource } from '../runtime/types.js';
import type { Expectations } from '../replicaset/expectations.js';
import { controllerOf } from './controller-ref.js';

/** The expectations key of an owner: `namespace/name`. */
export function ownerKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Options of {@link ownedPodsWatch}. */
export interface OwnedPodsWatchOptions<T extends KubeObject> {
  /** The owning kind (the controller's `for`). */
  owner: KindRef;
  /** Creations and deletions observed for each owner (keyed by {@link ownerKey}). */
  expectations: Pick<Expectations, 'creationObserved' | 'deletionObserved'>;
  /** Whether `owner` would adopt the orphan `pod` (its selector matches). */
  adopts(owner: T, pod: Pod): boolean;
  /** Called for every event on a pod this kind controls, after the expectations are noted. */
  observed?(key: string, pod: Pod, change: ObservedChange): void;
}

/** A {@link WatchSource} of pods mapped to the requests of their owners of kind `options.owner`. */
export function ownedPodsWatch<T extends KubeObject>(options: OwnedPodsWatchOptions<T>): WatchSource {
  const { owner, expectations } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    async map(obj, cache, change): Promise<ReconcileRequest[]> {
      const pod = obj as Pod;
      const ns = pod.metadata.namespace;
      const ref = controllerOf(pod);
      if (ref) {
        if (ref.kind !== owner.kind) return [];
        const key = ownerKey(ns, ref.name);
        if (change === 'ADDED') expectations.creationObserved(key);
        if (change === 'DELETED' || pod.metadata.deletionTimestamp) expectations.deletionObserved(key, pod.metadata.name ?? '');
        options.observed?.(key, pod, change);
        return [{ namespace: ns, name: ref.name }];
      }
      if (change === 'DELETED') return [];
      const owners = await cache.list<T>(owner.apiVersion, owner.kind, { namespace: ns });
      return owners.filter((o) => options.adopts(o, pod)).map((o) => ({ namespace: ns, name: o.metadata.name ?? '' }));
    },
  };
}
