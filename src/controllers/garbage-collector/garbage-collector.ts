import type { KubeObject, OwnerReference } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { TugboatError } from '../../model/errors.js';
import type { PropagationPolicy } from '../../client/types.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../model/well-known.js';
import type { Controller, ControllerSetup, ReconcileContext, ReconcileRequest } from '../runtime/types.js';
import { watchEveryKind } from '../runtime/every-kind.js';
import { OwnerGraph, type GraphNode } from './owner-graph.js';

/**
 * Kinds the garbage collector does not watch (kube-controller-manager's DefaultIgnoredResources):
 * Events, core and events.k8s.io. They are the most written kind and never own anything.
 */
function isIgnored(type: ResourceType): boolean {
  return type.plural === 'events' && (type.group === '' || type.group === 'events.k8s.io');
}

/** A garbage collector request: `name` is the uid of the object to look at (of any kind). */
export type GcRequest = ReconcileRequest;

/**
 * The garbage collector, a controller: deletes objects whose owners are gone (Background
 * propagation), holds an owner deleted in the Foreground until its blocking dependents are gone,
 * and strips owner references from dependents of an owner deleted with Orphan. It watches every
 * kind discovery lists through the shared informers (learning CRDs' kinds by watching
 * CustomResourceDefinitions), as Kubernetes' garbage collector does, keeps the owner graph, and
 * acts through the API only. Its requests name objects by uid.
 */
export class GarbageCollector implements Controller<GcRequest> {
  readonly name = 'garbage-collector';
  private readonly graph = new OwnerGraph();
  private enqueueUid: (uid: string) => void = () => undefined;

  async setup(setup: ControllerSetup<GcRequest>): Promise<void> {
    this.enqueueUid = (uid) => setup.enqueue({ name: uid });
    await watchEveryKind(setup, {
      filter: (type) => !isIgnored(type),
      handler: (type) => ({
        onAdd: (obj) => this.observe(type, obj),
        onUpdate: (_old, obj) => this.observe(type, obj),
        onDelete: (obj) => {
          const node = this.graph.remove(obj.metadata.uid);
          if (node) this.onRemoved(node);
        },
      }),
      onRemoved: (type) => {
        for (const node of this.graph.dropKind(type)) this.onRemoved(node);
      },
    });
  }

  async reconcile(request: GcRequest, ctx: ReconcileContext): Promise<void> {
    const node = this.graph.get(request.name);
    if (!node) return;
    if (node.deleting && node.finalizers.includes(ORPHAN_FINALIZER)) await this.orphanDependents(ctx, node);
    if (node.deleting && node.finalizers.includes(FOREGROUND_FINALIZER)) await this.deleteForeground(ctx, node);
    if (node.owners.length > 0 && !node.deleting) await this.checkOwners(ctx, node);
  }

  /**
   * As the graph builder's processGraphChanges: a dependent is checked only when checkOwners
   * could act on it (an owner the graph has not seen, which may not exist, or one being deleted
   * in the foreground), or when it is itself being deleted with a GC finalizer; a dependent
   * whose owners are all present and not being deleted is not queued on every one of its
   * updates. An owner's removal queues its dependents (onRemoved).
   */
  private observe(type: ResourceType, obj: KubeObject): void {
    const node = this.graph.upsert(type, obj);
    if (!node) return;
    let check = hasGcFinalizer(node);
    for (const o of node.owners) {
      const owner = this.graph.get(o.uid);
      if (!owner || (owner.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER))) check = true;
      if (owner?.deleting) this.enqueueUid(owner.uid);
    }
    if (check) this.enqueueUid(node.uid);
  }

  private onRemoved(node: GraphNode): void {
    for (const d of this.graph.dependentsOf(node.uid)) this.enqueueUid(d.uid);
    for (const o of node.owners) {
      const owner = this.graph.get(o.uid);
      if (owner?.deleting) this.enqueueUid(owner.uid);
    }
  }

  /** Deletes or un-owns a dependent according to the state of its owners. */
  private async checkOwners(ctx: ReconcileContext, node: GraphNode): Promise<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner?.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER)) waiting.push(ref);
      else if (owner || (await this.ownerExists(ctx, node, ref))) solid.push(ref);
      else dangling.push(ref);
    }
    if (dangling.length === 0 && waiting.length === 0) return;
    if (solid.length > 0) {
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwners(ctx, node, (refs) => refs.filter((r) => !drop.has(r.uid)));
      return;
    }
    const policy: PropagationPolicy = waiting.length > 0 && this.graph.dependentsOf(node.uid).length > 0 ? 'Foreground' : 'Background';
    await this.deleteNode(ctx, node, policy);
  }

  /** Checks the API for an owner the graph has not seen (watches of different kinds lag apart). */
  private async ownerExists(ctx: ReconcileContext, node: GraphNode, ref: OwnerReference): Promise<boolean> {
    try {
      const found = await ctx.client(ref.apiVersion, ref.kind, node.namespace).find(ref.name);
      return found?.metadata.uid === ref.uid;
    } catch (err) {
      if (TugboatError.is(err, 'BadRequest')) return false;
      throw err;
    }
  }

  private async deleteForeground(ctx: ReconcileContext, owner: GraphNode): Promise<void> {
    const deps = this.graph.dependentsOf(owner.uid);
    for (const d of deps) {
      if (!d.deleting) await this.deleteNode(ctx, d, this.graph.dependentsOf(d.uid).length > 0 ? 'Foreground' : 'Background');
    }
    const blocking = this.graph.dependentsOf(owner.uid).filter((d) => d.owners.some((o) => o.uid === owner.uid && o.blockOwnerDeletion));
    if (blocking.length === 0) await this.removeFinalizer(ctx, owner, FOREGROUND_FINALIZER);
  }

  private async orphanDependents(ctx: ReconcileContext, owner: GraphNode): Promise<void> {
    for (const d of this.graph.dependentsOf(owner.uid)) {
      await this.patchOwners(ctx, d, (refs) => refs.filter((r) => r.uid !== owner.uid));
    }
    await this.removeFinalizer(ctx, owner, ORPHAN_FINALIZER);
  }

  private clientFor(ctx: ReconcileContext, node: GraphNode) {
    return ctx.client(apiVersionOf(node.type), node.type.kind, node.namespace);
  }

  private async deleteNode(ctx: ReconcileContext, node: GraphNode, policy: PropagationPolicy): Promise<void> {
    try {
      await this.clientFor(ctx, node).delete(node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
    }
  }

  private async patchOwners(ctx: ReconcileContext, node: GraphNode, edit: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    await this.mutate(ctx, node, (obj) => {
      const refs = edit([...(obj.metadata.ownerReferences ?? [])]);
      return { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.length ? refs : undefined } };
    });
  }

  private async removeFinalizer(ctx: ReconcileContext, node: GraphNode, finalizer: string): Promise<void> {
    await this.mutate(ctx, node, (obj) => {
      const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      return { ...obj, metadata: { ...obj.metadata, finalizers: finalizers.length ? finalizers : undefined } };
    });
  }

  /** Read-modify-write with optimistic concurrency; gives up quietly when the object is gone. */
  private async mutate(ctx: ReconcileContext, node: GraphNode, edit: (obj: KubeObject) => KubeObject): Promise<void> {
    const client = this.clientFor(ctx, node);
    for (let attempt = 0; attempt < 10; attempt++) {
      const obj = await client.find(node.name);
      if (!obj || obj.metadata.uid !== node.uid) return;
      try {
        await client.update(edit(obj));
        return;
      } catch (err) {
        if (TugboatError.is(err, 'NotFound')) return;
        if (!TugboatError.is(err, 'Conflict')) throw err;
      }
    }
    throw TugboatError.conflict({ kind: node.type.plural }, node.name, 'too many conflicts');
  }
}

function hasGcFinalizer(node: GraphNode): boolean {
  return node.deleting && (node.finalizers.includes(ORPHAN_FINALIZER) || node.finalizers.includes(FOREGROUND_FINALIZER));
}
