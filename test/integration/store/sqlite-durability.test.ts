import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/sqlite.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { KubeObject, WatchEvent } from '../../../src/model/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-sqlite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CMS = 'core/configmaps';
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

describe('SqliteStore on a file', () => {
  it('keeps every acknowledged write when the writing process is SIGKILLed mid-writes', async () => {
    const path = join(dir, 'killed.db');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sqlite-writer.fixture.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Map<string, string>();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      const [name, rv] = line.split(' ');
      acked.set(name, rv);
      if (acked.size === 300) child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const store = new SqliteStore({ path });
    try {
      const list = await store.list({ resource: CMS });
      const stored = new Map(list.items.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
      for (const [name, rv] of acked) expect(stored.get(name), name).toBe(rv);
      expect(list.items.length).toBeGreaterThanOrEqual(acked.size);
      // The revision log is whole: a watch from the start replays every create in order.
      const it = store.watch({ resource: CMS }, { resourceVersion: '1' })[Symbol.asyncIterator]();
      const replayed: WatchEvent[] = [];
      for (let i = 0; i < list.items.length; i++) replayed.push((await it.next()).value as WatchEvent);
      expect(replayed.map((e) => e.object.metadata.name)).toEqual(list.items.map((_, i) => `cm-${i}`));
      await it.return?.();
      const next = await store.create(CMS, cm('after-restart'));
      expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(list.resourceVersion));
    } finally {
      await store.close();
    }
  }, 60_000);

  it("shows one process's writes to another process's watch (polling the revision table)", async () => {
    const path = join(dir, 'shared.db');
    const clock = new FakeClock();
    const writer = new SqliteStore({ path });
    const reader = new SqliteStore({ path, clock, pollIntervalMs: 50 });
    try {
      const it = reader.watch({ resource: CMS }, { resourceVersion: await reader.currentResourceVersion() })[Symbol.asyncIterator]();
      const a = await writer.create(CMS, cm('a'));
      const b = await writer.update(CMS, { ...a, data: { x: '1' } });
      const pending = it.next();
      await clock.advance(50);
      expect((await pending).value).toEqual({ type: 'ADDED', object: a });
      expect((await it.next()).value).toEqual({ type: 'MODIFIED', object: b });
      // Own writes come straight from the writer, in order after the other process's.
      const c = await reader.create(CMS, cm('c'));
      expect((await it.next()).value).toEqual({ type: 'ADDED', object: c });
      await expect(writer.create(CMS, cm('c'))).rejects.toMatchObject({ reason: 'AlreadyExists' });
      await it.return?.();
      expect(reader.watchCount()).toBe(0);
      expect(clock.pendingTimers()).toBeLessThanOrEqual(1);
      await clock.advance(50);
      expect(clock.pendingTimers()).toBe(0); // no poll while nothing watches
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('compacts superseded revisions but keeps the current objects', async () => {
    const store = new SqliteStore({ path: join(dir, 'compact.db'), historySize: 10 });
    try {
      let obj = await store.create(CMS, cm('hot'));
      await store.create(CMS, cm('cold'));
      for (let i = 0; i < 100; i++) obj = await store.update(CMS, { ...obj, data: { i: String(i) } });
      await store.delete({ resource: CMS, namespace: 'default', name: 'cold' });
      for (let i = 0; i < 20; i++) obj = await store.update(CMS, { ...obj, data: { j: String(i) } });
      const list = await store.list({ resource: CMS });
      expect(list.items.map((o) => o.metadata.name)).toEqual(['hot']);
      expect(list.items[0]).toEqual(obj);
      const db = (store as unknown as { db: { prepare(s: string): { get(): { n: number } } } }).db;
      expect(db.prepare('SELECT COUNT(*) AS n FROM kv').get().n).toBeLessThanOrEqual(10 + 2 + 2);
    } finally {
      await store.close();
    }
  });
});
