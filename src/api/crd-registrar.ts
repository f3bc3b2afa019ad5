import type { CustomResourceDefinition, KubeObject } from '../model/types.js';
import { storeResourceOf, type ResourceType } from '../model/resource-type.js';
import { resourceTypeFromCRD } from '../model/crd.js';
import type { ObjectStore } from '../store/types.js';
import type { KindRegistry } from './kind-registry.js';
import type { WriteHooks } from './object-api.js';

/** Is this the CustomResourceDefinition kind? */
function isCRD(type: ResourceType): boolean {
  return type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition';
}

/**
 * Serves the kinds that CustomResourceDefinitions define: registers a kind as soon as its CRD is
 * stored (so a manifest can hold a CRD and its objects), and drops the kind and its objects when
 * the CRD is deleted.
 */
export class CrdRegistrar implements WriteHooks {
  private readonly served = new Map<string, ResourceType>();

  constructor(
    private readonly registry: KindRegistry,
    private readonly store: ObjectStore,
    private readonly onKind: (type: ResourceType) => void,
  ) {}

  /** Registers the kinds of the CRDs a (persistent) store holds already. */
  async loadExisting(): Promise<void> {
    const list = await this.store.list({ resource: 'apiextensions.k8s.io/customresourcedefinitions' });
    for (const crd of list.items) this.register(crd);
  }

  afterWrite(type: ResourceType, obj: KubeObject): void {
    if (isCRD(type) && !obj.metadata.deletionTimestamp) this.register(obj);
  }

  async afterDelete(type: ResourceType, obj: KubeObject): Promise<void> {
    if (!isCRD(type)) return;
    const served = this.served.get(obj.metadata.uid ?? '');
    if (!served) return;
    this.served.delete(obj.metadata.uid ?? '');
    this.registry.remove(served);
    const resource = storeResourceOf(served);
    const all = await this.store.list({ resource });
    for (const o of all.items) {
      await this.store.delete({ resource, namespace: o.metadata.namespace, name: o.metadata.name ?? '' }).catch(() => {});
    }
  }

  private register(obj: KubeObject): void {
    const type = resourceTypeFromCRD(obj as CustomResourceDefinition);
    const prev = this.served.get(obj.metadata.uid ?? '');
    if (prev && prev !== type) this.registry.remove(prev);
    this.served.set(obj.metadata.uid ?? '', type);
    this.registry.add(type);
    this.onKind(type);
  }
}
