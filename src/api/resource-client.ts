import type { KubeObject, ObjectList, Scale, WatchEvent } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import type { InternalWriteOptions, ObjectApi } from './object-api.js';
import type { DeleteOptions, ListOptions, PatchType, ResourceClient, WatchOptions, WriteOptions } from '../client/types.js';
import { getScale, updateScale } from './scale.js';

/** How a {@link BoundResourceClient} writes. */
export interface ClientWriter {
  /**
   * Writes report their warnings only to the caller (`options.warnings`), not to the API's
   * warning handler: the clients of components, whose writes repeat what a user wrote.
   */
  quiet?: boolean;
  /** The field manager of writes that name none (a component's name, as its User-Agent gives it over HTTP). */
  fieldManager?: string;
}

/**
 * The ResourceClient of one kind in one namespace (or cluster-wide), over the ObjectApi.
 * Objects it returns are frozen snapshots. Its writes are {@link ClientWriter}'s.
 */
export class BoundResourceClient<T extends KubeObject = KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly api: ObjectApi,
    readonly type: ResourceType,
    readonly namespace: string | undefined,
    private readonly writer: ClientWriter = {},
  ) {}

  private write(options: WriteOptions | undefined): InternalWriteOptions | undefined {
    const { quiet, fieldManager } = this.writer;
    if (!quiet && (!fieldManager || options?.fieldManager)) return options;
    return {
      ...options,
      ...(quiet ? { quiet: true } : {}),
      ...(fieldManager && !options?.fieldManager ? { fieldManager } : {}),
    };
  }

  async get(name: string): Promise<T> {
    return (await this.api.get(this.type, this.namespace, name)) as T;
  }

  async find(name: string): Promise<T | undefined> {
    return (await this.api.find(this.type, this.namespace, name)) as T | undefined;
  }

  async list(options?: ListOptions): Promise<ObjectList<T>> {
    return (await this.api.list(this.type, this.namespace, options)) as ObjectList<T>;
  }

  watch(options?: WatchOptions): AsyncIterable<WatchEvent<T>> {
    return this.api.watch(this.type, this.namespace, options) as AsyncIterable<WatchEvent<T>>;
  }

  async create(obj: T | Omit<T, 'apiVersion' | 'kind'>, options?: WriteOptions): Promise<T> {
    return (await this.api.create(this.type, this.namespace, obj, this.write(options))) as T;
  }

  async update(obj: T, options?: WriteOptions): Promise<T> {
    return (await this.api.update(this.type, this.namespace, obj, this.write(options))) as T;
  }

  async patch(name: string, patch: unknown, type: PatchType = 'merge', options?: WriteOptions): Promise<T> {
    return (await this.api.patch(this.type, this.namespace, name, patch, type, this.write(options))) as T;
  }

  async updateStatus(obj: T, options?: WriteOptions): Promise<T> {
    return (await this.api.updateStatus(this.type, this.namespace, obj, this.write(options))) as T;
  }

  async patchStatus(name: string, patch: unknown, type: PatchType = 'merge'): Promise<T> {
    return (await this.api.patch(this.type, this.namespace, name, patch, type, this.write({}), 'status')) as T;
  }

  async delete(name: string, options?: DeleteOptions): Promise<T> {
    return (await this.api.delete(this.type, this.namespace, name, options)) as T;
  }

  async getScale(name: string): Promise<Scale> {
    return getScale(this.api, this.type, this.namespace, name);
  }

  async updateScale(name: string, scale: Pick<Scale, 'spec'> & { metadata?: Scale['metadata'] }, options?: WriteOptions): Promise<Scale> {
    return updateScale(this.api, this.type, this.namespace, name, scale, this.write(options));
  }
}
