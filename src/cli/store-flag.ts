/**
 * `tugboat apiserver --store`: `memory`, `sqlite:FILE` or `etcd://HOST:PORT[,HOST:PORT...]`, made
 * into the ObjectStore it names. better-sqlite3 and etcd3 load only for the store that needs them.
 */
import { resolve } from 'node:path';
import type { Clock } from '../clock/types.js';
import { TugboatError } from '../model/errors.js';
import { MemoryStore } from '../store/memory-store.js';
import type { ObjectStore } from '../store/types.js';

/** A parsed `--store` value. */
export type StoreFlag = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'etcd'; endpoints: string[] };

const USAGE = 'must be memory, sqlite:FILE or etcd://HOST:PORT[,HOST:PORT...]';

function invalid(value: string, message = USAGE): TugboatError {
  return new TugboatError('Invalid', `--store: invalid value "${value}": ${message}`, {
    causes: [{ field: '--store', reason: 'FieldValueInvalid', message }],
  });
}

/** Checks a `--store` value, else Invalid naming the flag. */
export function parseStoreFlag(value: string): StoreFlag {
  if (value === 'memory') return { kind: 'memory' };
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (!path) throw invalid(value, 'sqlite: needs a file (sqlite:FILE)');
    return { kind: 'sqlite', path: resolve(path) };
  }
  if (value.startsWith('etcd://')) {
    const endpoints = value.slice('etcd://'.length).split(',');
    for (const e of endpoints) {
      if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(e) && !/^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(e))
        throw invalid(value, `endpoint "${e}" is not HOST:PORT`);
    }
    return { kind: 'etcd', endpoints: endpoints.map((e) => `http://${e}`) };
  }
  throw invalid(value);
}

/** The store `flag` names (etcd keys under `etcdPrefix`). */
export async function openStore(flag: StoreFlag, clock: Clock, etcdPrefix: string): Promise<ObjectStore> {
  if (flag.kind === 'memory') return new MemoryStore({ clock });
  if (flag.kind === 'sqlite') {
    const { SqliteStore } = await import('../store/sqlite/sqlite-store.js').catch((err: Error) => {
      throw new TugboatError(
        'ServiceUnavailable',
        `--store sqlite: needs the better-sqlite3 package (npm install better-sqlite3): ${err.message}`,
      );
    });
    return new SqliteStore({ path: flag.path, clock });
  }
  const { EtcdStore } = await import('../store/etcd/etcd-store.js').catch((err: Error) => {
    throw new TugboatError('ServiceUnavailable', `--store etcd: needs the etcd3 package (npm install etcd3): ${err.message}`);
  });
  return new EtcdStore({ endpoints: flag.endpoints, prefix: etcdPrefix, clock });
}
