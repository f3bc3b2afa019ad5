import type { PodInfo } from './types.js';

/**
 * The pods nominated to run on a node after preempting others there (status.nominatedNodeName),
 * by node. While they wait for their victims to go, the room they made is held for them: a pod
 * of lower or equal priority is filtered as if they were already on the node, as kube-scheduler's
 * nominator does.
 */
export class NominatedPods {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOfKey = new Map<string, string>();

  /** Records (or with no node, forgets) a pod's nomination. */
  set(info: PodInfo, nodeName: string | undefined): void {
    this.delete(info.key);
    if (!nodeName) return;
    let pods = this.byNode.get(nodeName);
    if (!pods) this.byNode.set(nodeName, (pods = new Map()));
    pods.set(info.key, info);
    this.nodeOfKey.set(info.key, nodeName);
  }

  /** Forgets a pod's nomination (it was bound, deleted, or nominated elsewhere). */
  delete(key: string): void {
    const node = this.nodeOfKey.get(key);
    if (node === undefined) return;
    this.nodeOfKey.delete(key);
    const pods = this.byNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(node);
  }

  /**
   * The pods nominated to `nodeName` that a pod of `priority` must leave room for: those of
   * higher or equal priority, other than the pod itself.
   */
  holding(nodeName: string, podKey: string, priority: number): PodInfo[] {
    const pods = this.byNode.get(nodeName);
    if (!pods) return [];
    const out: PodInfo[] = [];
    for (const p of pods.values()) if (p.key !== podKey && p.priority >= priority) out.push(p);
    return out;
  }

  /** The node a pod is nominated to, if any. */
  nodeOf(key: string): string | undefined {
    return this.nodeOfKey.get(key);
  }

  /** How many pods are nominated. */
  get size(): number {
    return this.nodeOfKey.size;
  }
}
