/**
 * For people implementing or choosing an object store: the `ObjectStore` contract and the
 * in-memory store. `import { MemoryStore, type ObjectStore } from 'tugboat/store'`.
 * @packageDocumentation
 */
export type {
  ObjectStore,
  ObjectKey,
  ListScope,
  StoreListOptions,
  StoreCreateOptions,
  StoreListPageOptions,
  StoreWatchOptions,
  DeletePreconditions,
  ResourceName,
} from './store/types.js';
export { MemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
