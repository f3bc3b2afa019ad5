/**
 * The etcd object store, a separate entry point (`import { EtcdStore } from 'tugboat/etcd'`) so
 * that etcd3 (an optional peer dependency, version 1) loads only for its users.
 * @packageDocumentation
 */
export { EtcdStore } from './store/etcd/etcd-store.js';
export type { EtcdStoreOptions } from './store/etcd/etcd-store.js';
