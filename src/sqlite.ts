/**
 * The SQLite object store, a separate entry point (`import { SqliteStore } from 'tugboat/sqlite'`)
 * so that better-sqlite3 (an optional peer dependency, version 12) loads only for its users.
 * @packageDocumentation
 */
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
