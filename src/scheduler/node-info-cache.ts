/**
 * The scheduler's incremental view of the cluster: one {@link NodeInfo} per node, updated from
 * node and pod watch events and from the scheduler's own assumptions (a pod counts on its node
 * as soon as it is assumed, before the bind is confirmed), so no cycle recomputes everything.
 */
import type { Labels, Node, Pod } from '../model/types.js';
import type { ClusterSnapshot, NodeInfo, PodInfo, Resources } from './types.js';
import { addResources, emptyResources, nodeAllocatable } from './resources.js';
import { podInfoOf, podInfoOfVersion, podKey } from './pod-info.js';

class MutableNodeInfo implements NodeInfo {
  node: Node | undefined = undefined;
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested: Resources = emptyResources();
  allocatable: Resources = emptyResources();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  generation = 0;

  constructor(readonly name: string) {}

  add(info: PodInfo): void {
    this.pods.set(info.key, info);
    addResources(this.requested, info.requests);
    addResources(this.nonZeroRequested, info.nonZeroRequests);
    if (info.hasAffinity) this.podsWithAffinity++;
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity++;
    this.generation++;
  }

  /** Puts a newer version of a pod already here whose requests are the same object (nothing to re-add). */
  replace(old: PodInfo, info: PodInfo): void {
    this.pods.set(info.key, info);
    this.podsWithAffinity += Number(info.hasAffinity) - Number(old.hasAffinity);
    this.podsWithRequiredAntiAffinity += Number(info.hasRequiredAntiAffinity) - Number(old.hasRequiredAntiAffinity);
    this.generation++;
  }

  remove(key: string): PodInfo | undefined {
    const info = this.pods.get(key);
    if (!info) return undefined;
    this.pods.delete(key);
    addResources(this.requested, info.requests, -1);
    addResources(this.nonZeroRequested, info.nonZeroRequests, -1);
    if (info.hasAffinity) this.podsWithAffinity--;
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity--;
    this.generation++;
    return info;
  }
}

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

/**
 * A copy of a node's NodeInfo with some pods taken off and others added: what the node would look
 * like after a preemption, or with the pods nominated to it in place. The original is unchanged.
 */
export function nodeInfoVariant(ni: NodeInfo, change: { remove?: ReadonlySet<string>; add?: readonly PodInfo[] }): NodeInfo {
  const copy = new MutableNodeInfo(ni.name);
  copy.node = ni.node;
  copy.allocatable = ni.allocatable;
  for (const p of ni.pods.values()) if (!change.remove?.has(p.key)) copy.add(p);
  for (const p of change.add ?? []) if (!copy.pods.has(p.key)) copy.add(p);
  return copy;
}

/** A pod is finished (Succeeded or Failed) and holds no resources. */
function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Incremental NodeInfo cache. Feed it watch events with {@link setNode}, {@link removeNode},
 * {@link setPod}, {@link removePod}; the scheduler calls {@link assumePod} before binding and
 * {@link forgetPod} when a bind fails. It is also the {@link ClusterSnapshot} plugins read.
 */
export class NodeInfoCache implements ClusterSnapshot {
  private readonly infos = new Map<string, MutableNodeInfo>();
  private list: MutableNodeInfo[] | undefined;
  private readonly pods = new Map<string, PodState>();
  private readonly nsLabels = new Map<string, Labels>();
  private affinityPods = 0;
  private requiredAntiAffinityPods = 0;

  private infoFor(name: string): MutableNodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      info = new MutableNodeInfo(name);
      this.infos.set(name, info);
    }
    return info;
  }

  /** Adds or replaces a node. */
  setNode(node: Node): void {
    const info = this.infoFor(node.metadata.name ?? '');
    if (!info.node) this.list = undefined;
    info.node = node;
    info.allocatable = nodeAllocatable(node);
    info.generation++;
  }

  /** Removes a node; pods still bound to it stay counted until they are deleted. */
  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    info.node = undefined;
    info.generation++;
    this.list = undefined;
    if (info.pods.size === 0) this.infos.delete(name);
  }

  /** Records a pod seen by the watch. Pods without spec.nodeName or finished pods are dropped. */
  setPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isTerminal(pod)) {
      this.removePod(pod);
      return;
    }
    // The version the watch confirms (or updates) of a pod counted already reuses its requests.
    this.place(podInfoOfVersion(pod, this.pods.get(podKey(pod))?.info), nodeName, false);
  }

  /** Forgets a deleted pod. */
  removePod(pod: Pod): void {
    this.drop(podKey(pod));
  }

  /** Counts `pod` on `nodeName` before the bind is confirmed, so later cycles see it. */
  assumePod(info: PodInfo, nodeName: string): void {
    this.place(info, nodeName, true);
  }

  /** Undoes {@link assumePod} after a failed bind (a no-op once the watch confirmed it). */
  forgetPod(key: string): void {
    const state = this.pods.get(key);
    if (state?.assumed) this.drop(key);
  }

  /** True when the pod is counted on some node (bound or assumed). */
  hasPod(key: string): boolean {
    return this.pods.has(key);
  }

  /** The node a pod is counted on, if any. */
  nodeOfPod(key: string): string | undefined {
    return this.pods.get(key)?.nodeName;
  }

  /** Records a namespace's labels (for namespaceSelector). */
  setNamespace(name: string, labels: Labels | undefined): void {
    this.nsLabels.set(name, labels ?? {});
  }

  /** Forgets a namespace. */
  removeNamespace(name: string): void {
    this.nsLabels.delete(name);
  }

  private place(info: PodInfo, nodeName: string, assumed: boolean): void {
    const old = this.pods.get(info.key);
    if (old && old.nodeName === nodeName && old.info === info) {
      old.assumed = old.assumed && assumed;
      return;
    }
    const node = old && old.nodeName === nodeName ? this.infos.get(nodeName) : undefined;
    if (old && node && old.info.requests === info.requests && old.info.nonZeroRequests === info.nonZeroRequests) {
      // A newer version on the same node with the same requests (the bind confirmed by the watch).
      node.replace(old.info, info);
      this.affinityPods += Number(info.hasAffinity) - Number(old.info.hasAffinity);
      this.requiredAntiAffinityPods += Number(info.hasRequiredAntiAffinity) - Number(old.info.hasRequiredAntiAffinity);
      old.info = info;
      old.assumed = assumed;
      return;
    }
    if (old) this.drop(info.key);
    this.infoFor(nodeName).add(info);
    this.pods.set(info.key, { info, nodeName, assumed });
    if (info.hasAffinity) this.affinityPods++;
    if (info.hasRequiredAntiAffinity) this.requiredAntiAffinityPods++;
  }

  private drop(key: string): void {
    const state = this.pods.get(key);
    if (!state) return;
    this.pods.delete(key);
    const node = this.infos.get(state.nodeName);
    node?.remove(key);
    if (state.info.hasAffinity) this.affinityPods--;
    if (state.info.hasRequiredAntiAffinity) this.requiredAntiAffinityPods--;
    if (node && !node.node && node.pods.size === 0) this.infos.delete(state.nodeName);
  }

  nodeInfos(): readonly NodeInfo[] {
    if (!this.list) this.list = [...this.infos.values()].filter((i) => i.node !== undefined);
    return this.list;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.infos.get(name);
  }

  havePodsWithAffinity(): boolean {
    return this.affinityPods > 0;
  }

  havePodsWithRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityPods > 0;
  }

  namespaceLabels(name: string): Labels | undefined {
    return this.nsLabels.get(name);
  }

  namespaces(): readonly string[] {
    return [...this.nsLabels.keys()];
  }

  /** The number of pods counted (bound or assumed). */
  get podCount(): number {
    return this.pods.size;
  }
}

/** Builds a NodeInfo from a node and its pods (for tests and one-off decisions). */
export function buildNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const cache = new NodeInfoCache();
  const name = node.metadata.name ?? '';
  cache.setNode(node);
  for (const p of pods) cache.assumePod(podInfoOf(p), name);
  return cache.nodeInfo(name)!;
}

/** Builds a cache (a ClusterSnapshot) from nodes and pods carrying spec.nodeName. */
export function buildSnapshot(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfoCache {
  const cache = new NodeInfoCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) cache.setPod(p);
  return cache;
}
