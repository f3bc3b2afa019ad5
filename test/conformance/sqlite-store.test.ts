import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runObjectStoreConformance } from '../../src/testing.js';
import { SqliteStore } from '../../src/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-sqlite-conformance-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

await runObjectStoreConformance({
  name: 'SqliteStore',
  newStore: (options) => new SqliteStore({ path: join(dir, `store-${n++}.db`), synchronous: 'NORMAL', ...options }),
});
