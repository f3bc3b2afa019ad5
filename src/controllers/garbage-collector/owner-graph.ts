import type { KubeObject, OwnerReference } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';

/** What the garbage collector remembers of one object. */
export interface GraphNode {
  uid: string;
  type: ResourceType;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  finalizers: string[];
  deleting: boolean;
}

/**
 * The owner graph of every object: who owns whom, by uid. Kept up to date from watch events;
 * queries are O(dependents).
 */
export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  /** Records an object's current state; returns the node. */
  upsert(type: ResourceType, obj: KubeObject): GraphNode | undefined {
    const uid = obj.metadata.uid;
    if (!uid) return undefined;
    const prev = this.nodes.get(uid);
    if (prev) this.unlink(prev);
    const node: GraphNode = {
      uid,
      type,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name ?? '',
      owners: [...(obj.metadata.ownerReferences ?? [])],
      finalizers: [...(obj.metadata.finalizers ?? [])],
      deleting: Boolean(obj.metadata.deletionTimestamp),
    };
    this.nodes.set(uid, node);
    for (const o of node.owners) {
      let set = this.dependents.get(o.uid);
      if (!set) this.dependents.set(o.uid, (set = new Set()));
      set.add(uid);
    }
    return node;
  }

  /** Forgets an object; returns its last node. */
  remove(uid: string | undefined): GraphNode | undefined {
    if (!uid) return undefined;
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.unlink(node);
    this.nodes.delete(uid);
    return node;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  has(uid: string): boolean {
    return this.nodes.has(uid);
  }

  /** The objects that name `uid` as an owner. */
  dependentsOf(uid: string): GraphNode[] {
    const set = this.dependents.get(uid);
    if (!set) return [];
    const out: GraphNode[] = [];
    for (const d of set) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  /** Forgets every object of one kind (its CRD was deleted); returns their last nodes. */
  dropKind(type: ResourceType): GraphNode[] {
    const dropped: GraphNode[] = [];
    for (const node of this.nodes.values()) {
      if (node.type.group === type.group && node.type.version === type.version && node.type.kind === type.kind) dropped.push(node);
    }
    for (const n of dropped) this.remove(n.uid);
    return dropped;
  }

  /** Every node (for the sweep after all kinds synced). */
  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  private unlink(node: GraphNode): void {
    for (const o of node.owners) {
      const set = this.dependents.get(o.uid);
      if (!set) continue;
      set.delete(node.uid);
      if (set.size === 0) this.dependents.delete(o.uid);
    }
  }
}
