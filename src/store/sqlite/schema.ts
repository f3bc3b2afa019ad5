/**
 * The SQLite schema of {@link SqliteStore}: one table of revisions (kine's design, as k3s maps
 * etcd's model onto SQL), its statements, and how a row becomes an object or a change. See
 * docs/stores.md.
 */
import type { KubeObject } from '../../model/types.js';
import { deepFreeze } from '../../model/freeze.js';
import type { Change } from '../watch-filter.js';

/** The schema version this code writes; a file of a newer one is refused. */
export const SCHEMA_VERSION = 1;

/** Creates the tables (idempotent). The first revision handed out is 2, as in MemoryStore. */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ${SCHEMA_VERSION}), ('compact_revision', 1);
INSERT INTO sqlite_sequence (name, seq) SELECT 'kv', 1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'kv');
`;

/** One row of `kv`. */
export interface KvRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  prev_revision: number;
  value: string;
}

/** A row of the change query: the row and its predecessor's value. */
export interface ChangeRow extends KvRow {
  prev_value: string | null;
  prev_deleted: number | null;
}

/** The row key of an object: `resource/namespace/name` (`resource//name` when cluster-scoped). */
export function rowName(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`;
}

/** The resource and namespace a row key names (a resource is `group/plural`). */
export function parseRowName(name: string): { resource: string; namespace: string | undefined } {
  const parts = name.split('/');
  return { resource: `${parts[0]}/${parts[1]}`, namespace: parts[2] || undefined };
}

/** The first and the past-the-end row key of a scope, for `name >= ? AND name < ?`. */
export function scopeRange(resource: string, namespace: string | undefined): [string, string] {
  const start = namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
  return [start, `${start.slice(0, -1)}0`];
}

/** The stored text of an object: its JSON without resourceVersion (the row id is its resourceVersion). */
export function toValue(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

/** The frozen object a stored text holds, stamped with resourceVersion `rv`. */
export function fromValue(value: string, rv: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  (obj.metadata as { resourceVersion?: string }).resourceVersion = String(rv);
  return deepFreeze(obj);
}

/** The change a row records, as watchers receive it. */
export function toChange(row: ChangeRow): Change {
  const { resource, namespace } = parseRowName(row.name);
  const previous = row.prev_value !== null && !row.prev_deleted ? fromValue(row.prev_value, row.prev_revision) : undefined;
  if (row.deleted) return { type: 'DELETED', rv: row.id, resource, namespace, object: fromValue(row.value, row.id), previous };
  if (!previous) return { type: 'ADDED', rv: row.id, resource, namespace, object: fromValue(row.value, row.id) };
  return { type: 'MODIFIED', rv: row.id, resource, namespace, object: fromValue(row.value, row.id), previous };
}

/** The statements the store prepares once. */
export const SQL = {
  current: `SELECT seq FROM sqlite_sequence WHERE name = 'kv'`,
  compactRevision: `SELECT value FROM meta WHERE key = 'compact_revision'`,
  schema: `SELECT value FROM meta WHERE key = 'schema'`,
  latest: `SELECT * FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`,
  insert: `INSERT INTO kv (name, created, deleted, prev_revision, value) VALUES (?, ?, ?, ?, ?)`,
  /** The live objects of a name range after a key, as of a revision, in key order. */
  listAt: `SELECT kv.id, kv.name, kv.value FROM kv JOIN (
      SELECT MAX(id) AS id FROM kv WHERE name >= ? AND name < ? AND name > ? AND id <= ? GROUP BY name
    ) m ON kv.id = m.id WHERE kv.deleted = 0 ORDER BY kv.name`,
  /** The changes in (from, to], oldest first, with each predecessor's value. */
  changes: `SELECT r.*, p.value AS prev_value, p.deleted AS prev_deleted FROM kv r LEFT JOIN kv p ON p.id = r.prev_revision
    WHERE r.id > ? AND r.id <= ? ORDER BY r.id`,
  /** Compaction of (from, to]: the rows these superseded, then the tombstones among them. */
  compactSuperseded: `DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision > 0)`,
  compactTombstones: `DELETE FROM kv WHERE id > ? AND id <= ? AND deleted = 1`,
  setCompactRevision: `UPDATE meta SET value = ? WHERE key = 'compact_revision'`,
} as const;

/** Freezes nothing more: a helper so callers can name a row's object. */
export function rowObject(row: Pick<KvRow, 'id' | 'value'>): KubeObject {
  return fromValue(row.value, row.id);
}
