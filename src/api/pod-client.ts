import type { Pod } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import type { EvictOptions, PodClient, PodEviction } from '../client/types.js';
import type { ObjectApi } from './object-api.js';
import { BoundResourceClient, type ClientWriter } from './resource-client.js';

/** The Pod client: a {@link BoundResourceClient} with the pods/eviction subresource. */
export class BoundPodClient extends BoundResourceClient<Pod> implements PodClient {
  constructor(
    api: ObjectApi,
    type: ResourceType,
    namespace: string | undefined,
    writer: ClientWriter,
    private readonly evictor: (eviction: PodEviction) => Promise<void>,
  ) {
    super(api, type, namespace, writer);
  }

  async evict(name: string, options: EvictOptions = {}): Promise<void> {
    await this.evictor({ ...options, namespace: this.namespace ?? 'default', name });
  }
}
