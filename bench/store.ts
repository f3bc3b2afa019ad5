/**
 * ObjectStore benchmark: prints throughput and latency figures for MemoryStore.
 * Run alone with `npx tsx bench/store.ts`, or through bench/run.ts.
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setMaxListeners } from 'node:events';
import { MemoryStore } from '../src/store/memory-store.js';
import type { KubeObject, WatchEvent } from '../src/model/types.js';
import { parseSelector, type Selector } from '../src/model/selector.js';

const PODS = 'core/pods';
const OBJECTS = 100_000;
const NAMESPACES = 10;
const APPS = 100; // one app label value per 1% of the objects
const WATCHERS = 100;
const FANOUT_WRITES = 10_000;
const LATENCY_SAMPLES = 300;

/** `app=<value>`, parsed as users' selectors are. */
function appIs(value: string): Selector {
  return parseSelector(`app=${value}`);
}

function pod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: `ns-${i % NAMESPACES}`, labels: { app: `app-${i % APPS}`, tier: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  };
}

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
const fixed = (ms: number): string => `${ms.toFixed(3)} ms`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs the store benchmark and prints a table of figures. */
export async function benchStore(): Promise<void> {
  const rows: { measure: string; figure: string }[] = [];
  const store = new MemoryStore();

  let t = performance.now();
  for (let i = 0; i < OBJECTS; i++) await store.create(PODS, pod(i));
  rows.push({ measure: `create (${OBJECTS.toLocaleString('en-US')} pods)`, figure: rate(OBJECTS, performance.now() - t) });

  const { items } = await store.list({ resource: PODS });
  t = performance.now();
  for (const obj of items) await store.update(PODS, { ...obj, status: { phase: 'Running' } });
  rows.push({
    measure: `update with resourceVersion (${items.length.toLocaleString('en-US')})`,
    figure: rate(items.length, performance.now() - t),
  });

  const lists = 50;
  let matched = 0;
  t = performance.now();
  for (let i = 0; i < lists; i++)
    matched += (await store.list({ resource: PODS }, { labelSelector: appIs(`app-${i % APPS}`) })).items.length;
  rows.push({
    measure: `list app=X over ${OBJECTS.toLocaleString('en-US')} (${matched / lists} match)`,
    figure: `${fixed((performance.now() - t) / lists)} per list`,
  });

  t = performance.now();
  const nsItems = (await store.list({ resource: PODS, namespace: 'ns-3' }, { labelSelector: appIs('app-3') })).items.length;
  rows.push({ measure: `list one namespace + app=X (${nsItems} match)`, figure: fixed(performance.now() - t) });
  await store.close();

  rows.push(...(await benchFanOut()));
  console.log('\nObjectStore: MemoryStore');
  console.table(rows);
}

/** 100 watchers on one resource: delivery throughput for a burst, and write-to-last-delivery latency. */
async function benchFanOut(): Promise<{ measure: string; figure: string }[]> {
  const store = new MemoryStore();
  const seed = await store.create(PODS, pod(0));
  const from = seed.metadata.resourceVersion;
  const delivered = new Map<number, number>(); // rv -> watchers that got it
  let onAllDelivered: ((rv: number) => void) | undefined;
  let total = 0;
  const controller = new AbortController();
  setMaxListeners(WATCHERS + 1, controller.signal);
  const consume = async (events: AsyncIterable<WatchEvent>): Promise<void> => {
    for await (const e of events) {
      total++;
      const rv = Number(e.object.metadata.resourceVersion);
      const n = (delivered.get(rv) ?? 0) + 1;
      if (n === WATCHERS) {
        delivered.delete(rv);
        onAllDelivered?.(rv);
      } else delivered.set(rv, n);
    }
  };
  const done = Array.from({ length: WATCHERS }, () =>
    consume(store.watch({ resource: PODS }, { resourceVersion: from, signal: controller.signal })),
  );

  let current = seed;
  const waitFor = (rv: number): Promise<void> =>
    new Promise((resolve) => {
      onAllDelivered = (got) => {
        if (got === rv) resolve();
      };
    });

  const t = performance.now();
  const last = waitFor(Number(from) + FANOUT_WRITES);
  for (let i = 0; i < FANOUT_WRITES; i++) current = await store.update(PODS, { ...current, status: { n: i } });
  const writesDone = performance.now();
  await last;
  const elapsed = performance.now() - t;
  const burstEvents = total;

  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const next = waitFor(Number(current.metadata.resourceVersion) + 1);
    const start = performance.now();
    current = await store.update(PODS, { ...current, status: { sample: i } });
    await next;
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  controller.abort();
  await Promise.all(done);
  await store.close();
  return [
    {
      measure: `watch fan-out: ${FANOUT_WRITES.toLocaleString('en-US')} writes to ${WATCHERS} watchers`,
      figure: `${rate(burstEvents, elapsed)} events delivered`,
    },
    { measure: 'watch fan-out: burst writes alone', figure: rate(FANOUT_WRITES, writesDone - t) },
    {
      measure: `watch latency write -> last of ${WATCHERS} (p50 / p99)`,
      figure: `${fixed(percentile(latencies, 50))} / ${fixed(percentile(latencies, 99))}`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStore();
}
