/**
 * The stores side by side: MemoryStore, SqliteStore (synchronous FULL and NORMAL) and EtcdStore
 * (the etcd of .ci/etcd.sh on 127.0.0.1:2379, or TUGBOAT_ETCD_ENDPOINT; left out with a note when it
 * does not answer) creates/s, updates/s and watch latency (p50/p99, write to event), and the time a
 * control plane holding 10,000 objects in a SqliteStore or an EtcdStore takes to resume after a
 * restart (Cluster.start until settled).
 * Run alone with `npx tsx bench/stores-durable.ts`, or through bench/run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MemoryStore } from '../src/store/memory-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Etcd3 } from 'etcd3';
import { EtcdStore } from '../src/store/etcd/etcd-store.js';
import { Cluster } from '../src/cluster/cluster.js';
import type { ObjectStore } from '../src/store/types.js';
import type { KubeObject } from '../src/model/types.js';

const CMS = 'core/configmaps';
const WRITES = 2_000;
const LATENCY_SAMPLES = 300;
const RESUME_OBJECTS = 10_000;

const cm = (name: string, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { app: 'bench' } },
  data: { key: 'value' },
});
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
const pct = (sorted: number[], p: number): string =>
  `${sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(3)} ms`;

async function throughput(label: string, store: ObjectStore): Promise<void> {
  let t = performance.now();
  const made: KubeObject[] = [];
  for (let i = 0; i < WRITES; i++) made.push(await store.create(CMS, cm(`c-${i}`)));
  const creates = performance.now() - t;
  t = performance.now();
  for (const obj of made) await store.update(CMS, { ...obj, data: { key: 'changed' } });
  const updates = performance.now() - t;
  const it = store.watch({ resource: CMS }, { resourceVersion: await store.currentResourceVersion() })[Symbol.asyncIterator]();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const start = performance.now();
    await store.create(CMS, cm(`w-${i}`));
    await it.next();
    samples.push(performance.now() - start);
  }
  await it.return?.();
  samples.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(24)} creates ${rate(WRITES, creates).padStart(9)}  updates ${rate(WRITES, updates).padStart(9)}  watch p50 ${pct(samples, 50)}  p99 ${pct(samples, 99)}`,
  );
  await store.close();
}

/** Seeds a store with 10,000 ConfigMaps under a running cluster, stops both, and times a new store and cluster on the same data until settled. */
async function resume(label: string, open: () => ObjectStore): Promise<void> {
  const seed = open();
  const first = await Cluster.start({ store: seed });
  await first.settled();
  for (let i = 0; i < RESUME_OBJECTS; i++) await seed.create(CMS, cm(`r-${i}`));
  await first.stop();
  await seed.close();
  const t = performance.now();
  const store = open();
  const cluster = await Cluster.start({ store });
  await cluster.settled();
  const resumed = performance.now() - t;
  const count = (await store.list({ resource: CMS })).items.length;
  console.log(
    `  resume: Cluster.start + settled on a ${label} holding ${count.toLocaleString('en-US')} ConfigMaps: ${resumed.toFixed(0)} ms`,
  );
  await cluster.stop();
  await store.close();
}

/** Prints the store figures. */
export async function benchDurableStores(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-bench-stores-'));
  try {
    console.log(`\nStores: ${WRITES} creates, ${WRITES} updates, ${LATENCY_SAMPLES} write-to-watch-event samples`);
    await throughput('MemoryStore', new MemoryStore());
    await throughput('SqliteStore (FULL)', new SqliteStore({ path: join(dir, 'full.db') }));
    await throughput('SqliteStore (NORMAL)', new SqliteStore({ path: join(dir, 'normal.db'), synchronous: 'NORMAL' }));

    const etcd = process.env.TUGBOAT_ETCD_ENDPOINT ?? 'http://127.0.0.1:2379';
    const etcdUp = await fetch(`${etcd}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    const etcdPrefix = `/tugboat-bench/${process.pid}-${Date.now()}`;
    const newEtcd = (tag: string) => new EtcdStore({ endpoints: [etcd], prefix: `${etcdPrefix}/${tag}` });
    if (etcdUp) await throughput('EtcdStore', newEtcd('throughput'));
    else console.log(`  EtcdStore                left out: etcd does not answer on ${etcd} (run .ci/etcd.sh)`);

    const path = join(dir, 'resume.db');
    await resume('SqliteStore', () => new SqliteStore({ path, synchronous: 'NORMAL' }));
    if (etcdUp) {
      await resume('EtcdStore', () => newEtcd('resume'));
      // The bench's keys (and its stores' revision keys) off the shared etcd again.
      const client = new Etcd3({ hosts: [etcd] });
      await client.delete().prefix(`${etcdPrefix}/`);
      client.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchDurableStores();
