import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { apiVersionOf, storeResourceOf, type ResourceType } from '../model/resource-type.js';

/**
 * KindRegistry knows every kind the API serves: the built-in ones and those added by
 * CustomResourceDefinitions. Look kinds up by apiVersion and kind, or by resource name. A kind
 * may be served at several versions (autoscaling/v1 and v2 HorizontalPodAutoscaler): each is
 * found by its apiVersion, and the store resource names the storage version, the one without a
 * {@link ResourceType.conversion}.
 */
export class KindRegistry {
  private readonly byKind = new Map<string, ResourceType>();
  private readonly byResource = new Map<string, ResourceType>();

  constructor(types: Iterable<ResourceType> = []) {
    for (const t of types) this.add(t);
  }

  /** Adds (or replaces) a kind at its version. */
  add(type: ResourceType): void {
    this.byKind.set(kindKey(apiVersionOf(type), type.kind), type);
    if (!type.conversion) this.byResource.set(storeResourceOf(type), type);
  }

  /** Removes a kind at its version (when its CRD is deleted). */
  remove(type: ResourceType): void {
    this.byKind.delete(kindKey(apiVersionOf(type), type.kind));
    if (!type.conversion) this.byResource.delete(storeResourceOf(type));
  }

  /** The kind, or undefined. */
  find(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(kindKey(apiVersion, kind));
  }

  /** The kind, or a BadRequest naming what is unknown. */
  get(apiVersion: string, kind: string): ResourceType {
    const t = this.find(apiVersion, kind);
    if (!t) {
      // As kubectl says it, and what is served instead: a removed version, or a kind no CRD defines.
      const others = [...this.byKind.values()].filter((o) => o.kind === kind).map((o) => apiVersionOf(o));
      const hint = others.length
        ? `: version "${apiVersion}" is not served (removed or never served by Kubernetes 1.30); served: ${others.join(', ')}`
        : ': tugboat serves no such kind (ensure CRDs are installed first)';
      throw TugboatError.badRequest(`no matches for kind "${kind}" in version "${apiVersion}"${hint}`);
    }
    return t;
  }

  /** The kind of an object, from its apiVersion and kind. */
  forObject(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
    if (!obj.apiVersion) throw TugboatError.badRequest('apiVersion: Required value: object has no apiVersion');
    if (!obj.kind) throw TugboatError.badRequest('kind: Required value: object has no kind');
    return this.get(obj.apiVersion, obj.kind);
  }

  /** The kind stored under a store resource name (`apps/deployments`), at its storage version. */
  byStoreResource(resource: string): ResourceType | undefined {
    return this.byResource.get(resource);
  }

  /** Every registered kind. */
  all(): ResourceType[] {
    return [...this.byKind.values()];
  }
}

function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}
