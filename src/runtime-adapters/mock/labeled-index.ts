/**
 * An in-memory table of labelled things (sandboxes, containers) indexed by pod uid, node and
 * pod name, so that lookups by the runtime labels cost O(matches), not O(everything).
 */
import { hasLabels } from '../conventions.js';
import { RUNTIME_LABELS } from '../types.js';

/** What the index needs of an entry. */
export interface Labeled {
  id: string;
  labels: Record<string, string>;
}

const EMPTY: ReadonlySet<string> = new Set();

function addTo(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

/** The key of the pod-name index. */
export function podKey(namespace: string, pod: string): string {
  return `${namespace}/${pod}`;
}

function podKeyOf(labels: Record<string, string>): string | undefined {
  const ns = labels[RUNTIME_LABELS.namespace];
  const pod = labels[RUNTIME_LABELS.podName];
  return ns === undefined || pod === undefined ? undefined : podKey(ns, pod);
}

/** LabeledIndex stores entries by id and finds them by labels through the runtime-label indexes. */
export class LabeledIndex<T extends Labeled> {
  private readonly byId = new Map<string, T>();
  private readonly byUid = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly byPod = new Map<string, Set<string>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  add(entry: T): void {
    this.byId.set(entry.id, entry);
    addTo(this.byUid, entry.labels[RUNTIME_LABELS.podUid], entry.id);
    addTo(this.byNode, entry.labels[RUNTIME_LABELS.node], entry.id);
    addTo(this.byPod, podKeyOf(entry.labels), entry.id);
  }

  delete(id: string): T | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    removeFrom(this.byUid, entry.labels[RUNTIME_LABELS.podUid], id);
    removeFrom(this.byNode, entry.labels[RUNTIME_LABELS.node], id);
    removeFrom(this.byPod, podKeyOf(entry.labels), id);
    return entry;
  }

  /** Entries of one pod by namespace and name. */
  byPodName(namespace: string, pod: string): T[] {
    return this.resolve(this.byPod.get(podKey(namespace, pod)) ?? EMPTY);
  }

  /** Entries on one node (by the node label). */
  onNode(node: string): T[] {
    return this.resolve(this.byNode.get(node) ?? EMPTY);
  }

  /** Entries whose labels include every given label, using the narrowest index that applies. */
  list(labels?: Record<string, string>): T[] {
    const ids = this.candidates(labels);
    const out: T[] = [];
    if (ids === undefined) {
      for (const entry of this.byId.values()) if (hasLabels(entry.labels, labels)) out.push(entry);
      return out;
    }
    for (const id of ids) {
      const entry = this.byId.get(id);
      if (entry && hasLabels(entry.labels, labels)) out.push(entry);
    }
    return out;
  }

  private candidates(labels?: Record<string, string>): ReadonlySet<string> | undefined {
    if (!labels) return undefined;
    const uid = labels[RUNTIME_LABELS.podUid];
    if (uid !== undefined) return this.byUid.get(uid) ?? EMPTY;
    const key = podKeyOf(labels);
    if (key !== undefined) return this.byPod.get(key) ?? EMPTY;
    const node = labels[RUNTIME_LABELS.node];
    if (node !== undefined) return this.byNode.get(node) ?? EMPTY;
    return undefined;
  }

  private resolve(ids: ReadonlySet<string>): T[] {
    const out: T[] = [];
    for (const id of ids) {
      const entry = this.byId.get(id);
      if (entry) out.push(entry);
    }
    return out;
  }
}
