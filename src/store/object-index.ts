/**
 * The in-memory index of stored objects: resource -> namespace -> name, so listing one
 * namespace touches only its objects and listing a resource touches only that resource.
 */
import type { KubeObject } from '../model/types.js';
import { compareStrings } from '../model/label-requirement.js';

/**
 * ObjectIndex stores frozen objects by resource, namespace (`''` for cluster-scoped) and name.
 * Lists filter first and sort only what matched, so a selective list over many objects is
 * cheap.
 */
export class ObjectIndex {
  private readonly resources = new Map<string, Map<string, Map<string, KubeObject>>>();
  private count = 0;

  /** The number of stored objects. */
  get size(): number {
    return this.count;
  }

  /** The object at resource/namespace/name, or undefined. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.resources
      .get(resource)
      ?.get(namespace ?? '')
      ?.get(name);
  }

  /** Stores (or replaces) an object. */
  put(resource: string, namespace: string | undefined, name: string, object: KubeObject): void {
    let namespaces = this.resources.get(resource);
    if (!namespaces) this.resources.set(resource, (namespaces = new Map()));
    let names = namespaces.get(namespace ?? '');
    if (!names) namespaces.set(namespace ?? '', (names = new Map()));
    if (!names.has(name)) this.count++;
    names.set(name, object);
  }

  /** Removes an object; true when it was there. */
  remove(resource: string, namespace: string | undefined, name: string): boolean {
    const namespaces = this.resources.get(resource);
    const names = namespaces?.get(namespace ?? '');
    if (!namespaces || !names?.delete(name)) return false;
    this.count--;
    if (names.size === 0) namespaces.delete(namespace ?? '');
    if (namespaces.size === 0) this.resources.delete(resource);
    return true;
  }

  /**
   * The objects of a resource (of one namespace when given) that pass `keep`, sorted by
   * namespace then name as `namespace/name` sorts (the order of etcd keys: namespace `a-b`
   * before `a`).
   */
  list(resource: string, namespace: string | undefined, keep: (obj: KubeObject) => boolean): KubeObject[] {
    const namespaces = this.resources.get(resource);
    if (!namespaces) return [];
    const keys = namespace === undefined ? [...namespaces.keys()].sort((a, b) => compareStrings(`${a}/`, `${b}/`)) : [namespace];
    const out: KubeObject[] = [];
    for (const ns of keys) {
      const names = namespaces.get(ns);
      if (!names) continue;
      const matched: KubeObject[] = [];
      for (const obj of names.values()) if (keep(obj)) matched.push(obj);
      matched.sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
      for (const obj of matched) out.push(obj);
    }
    return out;
  }
}
