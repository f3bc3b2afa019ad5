/**
 * EtcdStore against a private etcd of this file (its own ports and data dir), for what would
 * disturb the shared one: a SIGKILL and restart of etcd, and compaction (etcd-wide).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdStore } from '../../../src/etcd.js';
import type { KubeObject, WatchEvent } from '../../../src/model/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import { PrivateEtcd, etcdForTests, uniquePrefix } from '../../support/etcd.js';

const CMS = 'core/configmaps';
const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

/** The next event of `it` within `ms`, or a failure naming what was awaited. */
async function next(it: AsyncIterator<WatchEvent>, what: string, ms = 20_000): Promise<WatchEvent> {
  const r = await Promise.race([
    it.next(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within ${ms} ms: ${what}`)), ms)),
  ]);
  if (r.done) throw new Error(`the watch ended: ${what}`);
  return r.value;
}

const run = await etcdForTests();

describe.runIf(run)('EtcdStore on a private etcd', () => {
  let etcd: PrivateEtcd;
  beforeAll(async () => {
    etcd = await PrivateEtcd.start();
  }, 60_000);
  afterAll(async () => {
    await etcd?.dispose();
  });

  it('resumes watches after etcd is SIGKILLed and restarted: every change in order, none twice; writes go on', async () => {
    const prefix = uniquePrefix('restart');
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix });
    const other = new EtcdStore({ endpoints: [etcd.endpoint], prefix });
    try {
      const first = await store.create(CMS, cm('before'));
      const it = store.watch({ resource: CMS }, { resourceVersion: first.metadata.resourceVersion })[Symbol.asyncIterator]();
      const a = await other.create(CMS, cm('a'));
      expect((await next(it, 'ADDED a')).object.metadata.name).toBe('a');

      await etcd.stop();
      await etcd.start();
      // A write while the watch reconnects (retried by the store until etcd answers), then more.
      const written = [await other.create(CMS, cm('b'))];
      written.push(await other.update(CMS, { ...written[0], data: { v: '2' } }));
      written.push(await other.delete({ resource: CMS, namespace: 'default', name: 'a' }));
      written.push(await store.create(CMS, cm('c')));
      const events = [];
      for (const w of ['ADDED b', 'MODIFIED b', 'DELETED a', 'ADDED c']) events.push(await next(it, w));
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'MODIFIED b', 'DELETED a', 'ADDED c']);
      const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
      expect(rvs[0]).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect(events[1].object).toEqual(written[1]);
      // The list after the restart has the same objects, same uids and versions.
      const list = await store.list({ resource: CMS });
      expect(list.items.map((o) => o.metadata.name)).toEqual(['b', 'before', 'c']);
      expect(list.resourceVersion).toBe(written[3].metadata.resourceVersion);
      await it.return?.();
    } finally {
      await store.close();
      await other.close();
    }
  }, 90_000);

  it('answers Expired for a watch or a continued list from a compacted revision; a relist and watch follow on', async () => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: uniquePrefix('compact') });
    try {
      const first = await store.create(CMS, cm('p0'));
      for (let i = 1; i < 5; i++) await store.create(CMS, cm(`p${i}`));
      const page = await store.list({ resource: CMS }, { limit: 2 });
      for (let i = 0; i < 3; i++)
        await store.update(CMS, { ...(await store.get({ resource: CMS, namespace: 'default', name: 'p0' }))!, data: { i: String(i) } });
      await store.compact();
      const err = await store.list({ resource: CMS }, { limit: 2, continue: page.continue }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(TugboatError.is(err, 'Expired'), String(err)).toBe(true);
      expect((err as TugboatError).code).toBe(410);
      // The Expired Status hands a token that reads the rest, after p1, at the current revision.
      await store.delete({ resource: CMS, namespace: 'default', name: 'p3' });
      const rest = await store.list({ resource: CMS }, { limit: 2, continue: (err as TugboatError).status.metadata?.continue });
      expect(rest.items.map((o) => o.metadata.name)).toEqual(['p2', 'p4']);
      expect(Number(rest.resourceVersion)).toBeGreaterThan(Number(page.resourceVersion));
      await store.create(CMS, cm('p3'));
      const it = store.watch({ resource: CMS }, { resourceVersion: first.metadata.resourceVersion })[Symbol.asyncIterator]();
      const failed = await it.next().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(TugboatError.is(failed, 'Expired'), String(failed)).toBe(true);
      expect((await it.next()).done).toBe(true);
      const list = await store.list({ resource: CMS });
      expect(list.items).toHaveLength(5);
      const again = store.watch({ resource: CMS }, { resourceVersion: list.resourceVersion })[Symbol.asyncIterator]();
      const later = await store.create(CMS, cm('later'));
      expect((await next(again, 'ADDED later')).object.metadata.resourceVersion).toBe(later.metadata.resourceVersion);
      await again.return?.();
    } finally {
      await store.close();
    }
  }, 60_000);

  it("sends etcd's progress notifications as bookmarks: a quiet watch learns of writes outside its store", async () => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: uniquePrefix('progress') });
    const elsewhere = new EtcdStore({ endpoints: [etcd.endpoint], prefix: uniquePrefix('elsewhere') });
    try {
      const from = await store.currentResourceVersion();
      const it = store.watch({ resource: 'core/pods' }, { resourceVersion: from, bookmarkIntervalMs: 200 })[Symbol.asyncIterator]();
      // A write under another prefix: this store's watch sees no change, only etcd's progress
      // notification (every second on the private etcd) carries its revision.
      const written = await elsewhere.create(CMS, cm('elsewhere'));
      const deadline = Date.now() + 20_000;
      let mark: WatchEvent | undefined;
      while (!mark && Date.now() < deadline) {
        const e = await next(it, 'BOOKMARK');
        expect(e.type).toBe('BOOKMARK');
        if (Number(e.object.metadata.resourceVersion) >= Number(written.metadata.resourceVersion)) mark = e;
      }
      expect(mark).toBeDefined();
      await it.return?.();
    } finally {
      await store.close();
      await elsewhere.close();
    }
  }, 60_000);
});
