import type { KubeObject, OwnerReference, WatchEvent } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { setMaxListeners } from 'node:events';
import { TugboatError } from '../../model/errors.js';
import type { ApiContext, PropagationPolicy } from '../../client/types.js';
import { ALL_NAMESPACES } from '../../client/types.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../model/well-known.js';
import { listWatch } from '../../client/list-watch.js';
import { OwnerGraph, type GraphNode } from './owner-graph.js';

const RETRY_MS = 1000;

/**
 * The garbage collector: deletes objects whose owners are gone (Background propagation), holds
 * an owner deleted in the Foreground until its blocking dependents are gone, and strips owner
 * references from dependents of an owner deleted with Orphan. It watches every kind, as
 * Kubernetes' garbage collector does, and acts through the API only.
 */
export class GarbageCollector {
  private readonly graph = new OwnerGraph();
  private readonly abort = new AbortController();
  private readonly watched = new Set<ResourceType>();
  private readonly pending = new Set<string>();
  private readonly loops: Promise<void>[] = [];
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ctx: ApiContext,
    private readonly kinds: () => ResourceType[],
  ) {
    setMaxListeners(0, this.abort.signal);
  }

  /** Starts watching every kind known now. */
  async start(): Promise<void> {
    for (const type of this.kinds()) this.watchKind(type);
  }

  /** Starts watching a kind registered later (a CRD's). */
  watchKind(type: ResourceType): void {
    if (this.watched.has(type) || this.abort.signal.aborted) return;
    this.watched.add(type);
    const client = this.ctx.client(apiVersionOf(type), type.kind, type.namespaced ? ALL_NAMESPACES : undefined);
    const loop = listWatch(
      client,
      {
        onSync: (objects) => this.onSync(type, objects),
        onEvent: (event) => this.onEvent(type, event),
      },
      { signal: this.abort.signal },
    ).catch(() => {
      /* the kind went away (CRD deleted) or the store closed */
    });
    this.loops.push(loop);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
    await this.running;
  }

  /** Resolves when no work is queued or running (for tests). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onSync(type: ResourceType, objects: KubeObject[]): void {
    const before = this.graph.dropKind(type);
    for (const obj of objects) this.observe(type, obj);
    const now = new Set(objects.map((o) => o.metadata.uid));
    for (const gone of before) if (!now.has(gone.uid)) this.onRemoved(gone);
  }

  private onEvent(type: ResourceType, event: WatchEvent): void {
    if (event.type === 'DELETED') {
      const node = this.graph.remove(event.object.metadata.uid);
      if (node) this.onRemoved(node);
    } else {
      this.observe(type, event.object);
    }
  }

  private observe(type: ResourceType, obj: KubeObject): void {
    const node = this.graph.upsert(type, obj);
    if (!node) return;
    if (node.owners.length > 0 || hasGcFinalizer(node)) this.enqueue(node.uid);
    for (const o of node.owners) {
      const owner = this.graph.get(o.uid);
      if (owner?.deleting) this.enqueue(owner.uid);
    }
  }

  private onRemoved(node: GraphNode): void {
    for (const d of this.graph.dependentsOf(node.uid)) this.enqueue(d.uid);
    for (const o of node.owners) {
      const owner = this.graph.get(o.uid);
      if (owner?.deleting) this.enqueue(owner.uid);
    }
  }

  private enqueue(uid: string): void {
    this.pending.add(uid);
    if (!this.running) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0 && !this.abort.signal.aborted) {
        const uid = this.pending.values().next().value as string;
        this.pending.delete(uid);
        try {
          await this.process(uid);
        } catch {
          this.ctx.clock.setTimeout(() => this.enqueue(uid), RETRY_MS);
        }
      }
    } finally {
      this.running = undefined;
      if (this.pending.size > 0 && !this.abort.signal.aborted) this.running = this.drain();
      else for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async process(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.deleting && node.finalizers.includes(ORPHAN_FINALIZER)) await this.orphanDependents(node);
    if (node.deleting && node.finalizers.includes(FOREGROUND_FINALIZER)) await this.deleteForeground(node);
    if (node.owners.length > 0 && !node.deleting) await this.checkOwners(node);
  }

  /** Deletes or un-owns a dependent according to the state of its owners. */
  private async checkOwners(node: GraphNode): Promise<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner?.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER)) waiting.push(ref);
      else if (owner || (await this.ownerExists(node, ref))) solid.push(ref);
      else dangling.push(ref);
    }
    if (dangling.length === 0 && waiting.length === 0) return;
    if (solid.length > 0) {
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwners(node, (refs) => refs.filter((r) => !drop.has(r.uid)));
      return;
    }
    const policy: PropagationPolicy =
      waiting.length > 0 && this.graph.dependentsOf(node.uid).length > 0 ? 'Foreground' : 'Background';
    await this.deleteNode(node, policy);
  }

  /** Checks the API for an owner the graph has not seen (watches of different kinds lag apart). */
  private async ownerExists(node: GraphNode, ref: OwnerReference): Promise<boolean> {
    try {
      const found = await this.ctx.client(ref.apiVersion, ref.kind, node.namespace).find(ref.name);
      return found?.metadata.uid === ref.uid;
    } catch (err) {
      if (TugboatError.is(err, 'BadRequest')) return false;
      throw err;
    }
  }

  private async deleteForeground(owner: GraphNode): Promise<void> {
    const deps = this.graph.dependentsOf(owner.uid);
    for (const d of deps) {
      if (!d.deleting) await this.deleteNode(d, this.graph.dependentsOf(d.uid).length > 0 ? 'Foreground' : 'Background');
    }
    const blocking = this.graph
      .dependentsOf(owner.uid)
      .filter((d) => d.owners.some((o) => o.uid === owner.uid && o.blockOwnerDeletion));
    if (blocking.length === 0) await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
  }

  private async orphanDependents(owner: GraphNode): Promise<void> {
    for (const d of this.graph.dependentsOf(owner.uid)) {
      await this.patchOwners(d, (refs) => refs.filter((r) => r.uid !== owner.uid));
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }

  private clientFor(node: GraphNode) {
    return this.ctx.client(apiVersionOf(node.type), node.type.kind, node.namespace);
  }

  private async deleteNode(node: GraphNode, policy: PropagationPolicy): Promise<void> {
    try {
      await this.clientFor(node).delete(node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
    }
  }

  private async patchOwners(node: GraphNode, edit: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    await this.mutate(node, (obj) => {
      const refs = edit([...(obj.metadata.ownerReferences ?? [])]);
      return { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.length ? refs : undefined } };
    });
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await this.mutate(node, (obj) => {
      const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      return { ...obj, metadata: { ...obj.metadata, finalizers: finalizers.length ? finalizers : undefined } };
    });
  }

  /** Read-modify-write with optimistic concurrency; gives up quietly when the object is gone. */
  private async mutate(node: GraphNode, edit: (obj: KubeObject) => KubeObject): Promise<void> {
    const client = this.clientFor(node);
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
