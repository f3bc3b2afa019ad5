/**
 * The stores side by side: MemoryStore and SqliteStore (synchronous FULL and NORMAL) creates/s,
 * updates/s and watch latency (p50/p99, write to event), and the time a control plane holding
 * 10,000 objects in a SqliteStore takes to resume after a restart (Cluster.start until settled).
 * Run alone with `npx tsx bench/stores-durable.ts`, or through bench/run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MemoryStore } from '../src/store/memory-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
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

/** Prints the store figures. */
export async function benchDurableStores(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-bench-stores-'));
  try {
    console.log(`\nStores: ${WRITES} creates, ${WRITES} updates, ${LATENCY_SAMPLES} write-to-watch-event samples`);
    await throughput('MemoryStore', new MemoryStore());
    await throughput('SqliteStore (FULL)', new SqliteStore({ path: join(dir, 'full.db') }));
    await throughput('SqliteStore (NORMAL)', new SqliteStore({ path: join(dir, 'normal.db'), synchronous: 'NORMAL' }));

    const path = join(dir, 'resume.db');
    const seed = new SqliteStore({ path, synchronous: 'NORMAL' });
    const first = await Cluster.start({ store: seed });
    await first.settled();
    for (let i = 0; i < RESUME_OBJECTS; i++) await seed.create(CMS, cm(`r-${i}`));
    await first.stop();
    await seed.close();
    const t = performance.now();
    const store = new SqliteStore({ path });
    const cluster = await Cluster.start({ store });
    await cluster.settled();
    const resumed = performance.now() - t;
    const count = (await store.list({ resource: CMS })).items.length;
    console.log(
      `  resume: Cluster.start + settled on a SqliteStore holding ${count.toLocaleString('en-US')} ConfigMaps: ${resumed.toFixed(0)} ms`,
    );
    await cluster.stop();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchDurableStores();
