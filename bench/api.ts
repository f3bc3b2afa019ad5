/**
 * The API benchmark (issue 14): get, list (1,000 objects) and create through the HTTPS API
 * (`cluster.serve()`, HttpApiContext over undici), and watch event latency (a write -> the event
 * seen by a watch), each beside the same figure from the in-process client of the same cluster.
 * Prints requests/s, p50/p99 and the CPU time per request of this process (client and server
 * both run in it). Each measurement is bounded in count and in time.
 * Run alone with `npx tsx bench/api.ts [concurrency]`, or through bench/run.ts.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Cluster } from '../src/cluster/cluster.js';
import { RealClock } from '../src/clock/real-clock.js';
import { HttpApiContext } from '../src/client/http/http-api-context.js';
import type { ConfigMap } from '../src/model/types.js';
import type { ResourceClient } from '../src/client/types.js';

/** Objects listed by the list figure (and the pool get reads from). */
const LISTED = 1_000;
/** Each figure stops at this many requests or this many milliseconds, whichever comes first. */
const LIMITS = {
  get: { count: 5_000, ms: 4_000 },
  list: { count: 200, ms: 5_000 },
  create: { count: 3_000, ms: 4_000 },
  watch: { count: 300, ms: 5_000 },
};

/** One figure of one client. */
export interface ApiBenchRow {
  op: 'get' | 'list (1,000)' | 'create' | 'watch latency';
  client: 'in-process' | 'HTTPS';
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the process (user + system) per request, client and server together. */
  cpuMsPerRequest: number;
}

/** Figures of one run, with the load average when it ended. */
export interface ApiBenchResult {
  rows: ApiBenchRow[];
  concurrency: number;
  load: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function configMap(name: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'api' } }, data: { key: 'value', other: name } };
}

/**
 * Runs `call` from `concurrency` loops until `limit.count` calls have started or `limit.ms`
 * has passed; returns the latency of each call (ms), the wall time and the CPU time.
 */
async function closedLoop(
  concurrency: number,
  limit: { count: number; ms: number },
  call: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; wallMs: number; cpuMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (next < limit.count && performance.now() - t0 < limit.ms) {
      const i = next++;
      const t = performance.now();
      await call(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { latencies, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function row(op: ApiBenchRow['op'], client: ApiBenchRow['client'], r: { latencies: number[]; wallMs: number; cpuMs: number }): ApiBenchRow {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    op,
    client,
    requests: sorted.length,
    requestsPerSecond: (sorted.length / r.wallMs) * 1000,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    cpuMsPerRequest: r.cpuMs / Math.max(1, sorted.length),
  };
}

/**
 * Write -> event latency: each write (a ConfigMap patch through the in-process client, so both
 * rows pay the same write) is timed until the watch of `watcher` yields its MODIFIED event.
 * One write at a time.
 */
async function watchLatency(
  writer: ResourceClient<ConfigMap>,
  watcher: ResourceClient<ConfigMap>,
  name: string,
): Promise<{ latencies: number[]; wallMs: number; cpuMs: number }> {
  const start = await writer.create(configMap(name));
  const abort = new AbortController();
  const waiting = new Map<string, () => void>();
  const events = watcher.watch({
    resourceVersion: start.metadata.resourceVersion,
    fieldSelector: `metadata.name=${name}`,
    signal: abort.signal,
  });
  const reading = (async () => {
    try {
      for await (const e of events) {
        if (e.type !== 'MODIFIED') continue;
        const seq = (e.object as ConfigMap).data?.seq;
        if (seq !== undefined) waiting.get(seq)?.();
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  })();
  // One write before timing: the HTTP watch is open and streaming once its first event arrives.
  const seen = (seq: string): Promise<void> => new Promise((resolve) => waiting.set(seq, resolve));
  const warm = seen('warm');
  await writer.patch(name, { data: { seq: 'warm' } });
  await warm;
  const r = await closedLoop(1, LIMITS.watch, async (i) => {
    const s = String(i);
    const event = seen(s);
    await writer.patch(name, { data: { seq: s } });
    await event;
    waiting.delete(s);
  });
  abort.abort();
  await reading;
  return r;
}

/** The four figures for one client; `inProcess` writes the watch figure's patches. */
async function benchClient(
  label: ApiBenchRow['client'],
  client: ResourceClient<ConfigMap>,
  inProcess: ResourceClient<ConfigMap>,
  concurrency: number,
): Promise<ApiBenchRow[]> {
  const rows: ApiBenchRow[] = [];
  const prefix = label === 'HTTPS' ? 'h' : 'p';
  rows.push(row('create', label, await closedLoop(concurrency, LIMITS.create, (i) => client.create(configMap(`${prefix}-new-${i}`)))));
  rows.push(row('get', label, await closedLoop(concurrency, LIMITS.get, (i) => client.get(`pool-${i % LISTED}`))));
  const list = await closedLoop(concurrency, LIMITS.list, async () => {
    const l = await client.list({ labelSelector: 'bench=api,pool=yes' });
    if (l.items.length !== LISTED) throw new Error(`listed ${l.items.length}, expected ${LISTED}`);
  });
  rows.push(row('list (1,000)', label, list));
  rows.push(row('watch latency', label, await watchLatency(inProcess, client, `${prefix}-watched`)));
  return rows;
}

/** Runs the API benchmark and prints its table; `concurrency` requests are in flight at once. */
export async function benchApi(concurrency = 1): Promise<ApiBenchResult> {
  const cluster = await Cluster.start({ clock: new RealClock(), recordEvents: false, controllers: false, scheduler: false });
  const api = await cluster.serve();
  const http = await HttpApiContext.connect(api.kubeconfig);
  try {
    const inProcess = cluster.client<ConfigMap>('v1', 'ConfigMap', 'default');
    const overHttp = http.client<ConfigMap>('v1', 'ConfigMap', 'default');
    for (let i = 0; i < LISTED; i += 100) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < i + 100; j++) {
        const cm = configMap(`pool-${j}`);
        batch.push(inProcess.create({ ...cm, metadata: { ...cm.metadata, labels: { bench: 'api', pool: 'yes' } } }));
      }
      await Promise.all(batch);
    }
    // Interleaved by client, in-process first, so each pair is measured back to back.
    const rows: ApiBenchRow[] = [];
    const inRows = await benchClient('in-process', inProcess, inProcess, concurrency);
    const httpRows = await benchClient('HTTPS', overHttp, inProcess, concurrency);
    for (let i = 0; i < inRows.length; i++) rows.push(inRows[i], httpRows[i]);
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    print(rows, concurrency, load);
    return { rows, concurrency, load };
  } finally {
    await http.close();
    await cluster.stop();
  }
}

function print(rows: ApiBenchRow[], concurrency: number, load: string): void {
  const int = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ms = (n: number): string => `${n.toFixed(3)} ms`;
  console.log(`\nAPI: in-process client vs HTTPS (cluster.serve(), HttpApiContext); ${concurrency} in flight, load ${load}`);
  console.table(
    rows.map((r) => ({
      op: r.op,
      client: r.client,
      requests: r.requests,
      'req/s': int(r.requestsPerSecond),
      p50: ms(r.p50Ms),
      p99: ms(r.p99Ms),
      'CPU/req': ms(r.cpuMsPerRequest),
    })),
  );
  const ratio = (op: ApiBenchRow['op']): string => {
    const a = rows.find((r) => r.op === op && r.client === 'in-process');
    const b = rows.find((r) => r.op === op && r.client === 'HTTPS');
    return a && b ? `${(b.p50Ms / a.p50Ms).toFixed(1)}x p50, ${(b.cpuMsPerRequest / a.cpuMsPerRequest).toFixed(1)}x CPU` : '-';
  };
  console.log(
    `HTTPS / in-process: ${(['get', 'list (1,000)', 'create', 'watch latency'] as const).map((op) => `${op} ${ratio(op)}`).join('; ')}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const concurrency = Number(process.argv[2] ?? 1);
  await benchApi(Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 1);
  process.exit(0);
}
