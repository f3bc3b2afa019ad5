/**
 * Ingress benchmark on loopback: requests/s, p99 latency and CPU per request straight to a Node
 * HTTP backend, through ProxyIngress, through NginxIngress and through the floor (Node's HTTP
 * server and undici's Pool.dispatch with nothing in between, bench/ingress-child.ts), in the same
 * run and on the same backend, printed as ratios. autocannon is the load generator (this process);
 * the backend, ProxyIngress and the floor each run in a process of their own, nginx in its own (one
 * worker, as NginxIngress configures it). Both adapters get the same routes, through their `apply`,
 * so the figure is the data plane alone. The targets are measured in rounds, interleaved, the order
 * rotated each round, so a burst of load from other programs on the machine falls on all alike;
 * every round is printed.
 *
 * The CPU of every process of the chain is measured per request (load generator, backend, proxy),
 * and from it the CPU-bound ratio: on cores the chain saturates, requests/s is cores divided by the
 * chain's CPU per request, so ProxyIngress / NginxIngress tends to
 * (load + backend + nginx) / (load + backend + ProxyIngress), whatever else the machine runs. It
 * prints that ratio, the ProxyIngress CPU per request that would give the 0.8x target, and the
 * floor's ratio (the most a proxy on Node's HTTP server and undici can reach).
 * Needs nginx (`bash .ci/nginx.sh`). Run alone with `npx tsx bench/ingress.ts [seconds] [rounds]`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { NginxIngress } from '../src/ingress-adapters/nginx/nginx-ingress.js';
import { childrenOf } from '../src/ingress-adapters/nginx/proc-children.js';
import { benchRoutes } from './ingress-child.js';

const CONNECTIONS = 32;
const CHILD = fileURLToPath(new URL('./ingress-child.ts', import.meta.url));
const TICKS_PER_SECOND = 100; // USER_HZ of /proc/<pid>/stat
/** Issue 13's target: ProxyIngress's requests/s over NginxIngress's. */
const TARGET = 0.8;

/** What is measured: the backend alone, or a proxy in front of it. */
export type IngressBenchTargetName = 'backend' | 'ProxyIngress' | 'NginxIngress' | 'floor';

/** The figures of one target, summed over the rounds. */
export interface IngressBenchTarget {
  target: IngressBenchTargetName;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** The worst p99 of the rounds, ms. */
  p99Ms: number;
  /** CPU of the proxy's process per request (not the backend's), µs; 0 for the backend itself. */
  cpuMicrosPerRequest: number;
  /** CPU of the backend's process per request, µs. */
  backendCpuMicrosPerRequest: number;
  /** CPU of the load generator (autocannon, this process) per request, µs. */
  loadCpuMicrosPerRequest: number;
  failed: number;
  /** requests/s of each round, in round order. */
  perRound: number[];
}

/** The CPU-bound arithmetic (see the file's comment), from the CPU per request of each process. */
export interface IngressCpuModel {
  /** (load + backend + nginx) / (load + backend + ProxyIngress), µs per request (load and backend as one figure for all). */
  proxyOverNginx: number;
  /** The same for the floor instead of ProxyIngress. */
  floorOverNginx: number;
  /** The ProxyIngress CPU per request (µs) at which the ratio is the 0.8x target. */
  proxyMicrosForTarget: number;
}

/** What bench/run.ts and bench/targets.ts read. */
export interface IngressBenchResult {
  rows: IngressBenchTarget[];
  /** ProxyIngress's requests/s over NginxIngress's, all rounds together. */
  proxyOverNginx: number;
  /** The same ratio in each round. */
  proxyOverNginxPerRound: number[];
  cpuModel: IngressCpuModel;
}

interface Child {
  proc: ChildProcess;
  port: number;
  cpu(): Promise<number>;
}

async function startChild(role: string, arg = ''): Promise<Child> {
  const profile = process.env.TUGBOAT_BENCH_PROFILE; // a directory: the proxy's CPU profile is written there
  const execArgv = role === 'proxy' && profile ? [...process.execArgv, '--cpu-prof', '--cpu-prof-dir', profile] : process.execArgv;
  const proc = fork(CHILD, [role, arg], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { port: number }).port));
    proc.once('exit', (code) => reject(new Error(`ingress bench ${role} exited (${code})`)));
  });
  const cpu = (): Promise<number> =>
    new Promise((resolve) => {
      proc.once('message', (m) => resolve((m as { cpu: number }).cpu));
      proc.send('cpu');
    });
  return { proc, port, cpu };
}

/** CPU time (µs) of nginx's worker processes: the children of the master named in nginx.pid. */
function nginxWorkersCpu(prefix: string): number {
  const master = readFileSync(join(prefix, 'nginx.pid'), 'utf8').trim();
  let ticks = 0;
  for (const pid of childrenOf(Number(master))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // a worker that just exited
    }
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

async function load(port: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}/bench`, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
}

const emptyRow = (target: IngressBenchTargetName): IngressBenchTarget => ({
  target,
  requests: 0,
  seconds: 0,
  requestsPerSecond: 0,
  p99Ms: 0,
  cpuMicrosPerRequest: 0,
  backendCpuMicrosPerRequest: 0,
  loadCpuMicrosPerRequest: 0,
  failed: 0,
  perRound: [],
});

/**
 * The load generator's and the backend's CPU per request, µs, averaged over every proxied request
 * of the run: one figure for all proxies, so a busy minute on the machine does not tilt the model.
 */
function sharedMicros(rows: readonly IngressBenchTarget[]): number {
  const proxied = rows.filter((r) => r.target !== 'backend');
  const requests = proxied.reduce((n, r) => n + r.requests, 0);
  const micros = proxied.reduce((n, r) => n + (r.loadCpuMicrosPerRequest + r.backendCpuMicrosPerRequest) * r.requests, 0);
  return micros / Math.max(1, requests);
}

/** Runs the benchmark: `seconds` of load per target per round. */
export async function benchIngress(seconds = 5, rounds = 3): Promise<IngressBenchResult> {
  console.log(`\nIngress on loopback: ${CONNECTIONS} connections, ${seconds} s per target, ${rounds} rounds, interleaved`);
  const backend = await startChild('backend');
  const proxy = await startChild('proxy', String(backend.port));
  const floor = await startChild('floor', String(backend.port));
  const prefix = mkdtempSync(join(tmpdir(), 'tugboat-bench-nginx-'));
  const nginx = new NginxIngress({ className: 'bench', prefix });
  const nginxPort = (await nginx.start()).port;
  await nginx.apply(benchRoutes(backend.port));
  const targets: { target: IngressBenchTargetName; port: number; cpu: () => Promise<number> }[] = [
    { target: 'backend', port: backend.port, cpu: async () => 0 },
    { target: 'ProxyIngress', port: proxy.port, cpu: proxy.cpu },
    { target: 'NginxIngress', port: nginxPort, cpu: async () => nginxWorkersCpu(prefix) },
    { target: 'floor', port: floor.port, cpu: floor.cpu },
  ];
  const rows = new Map(targets.map((t) => [t.target, emptyRow(t.target)]));
  const row = (t: IngressBenchTargetName): IngressBenchTarget => rows.get(t) as IngressBenchTarget;
  const proxyOverNginxPerRound: number[] = [];
  try {
    for (const t of targets) await load(t.port, 1); // warm-up: connections, JIT, pools
    for (let round = 0; round < rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as (typeof targets)[number]);
      const line = new Map<IngressBenchTargetName, string>();
      for (const t of order) {
        const cpuBefore = await t.cpu();
        const backendBefore = await backend.cpu();
        const loadBefore = process.cpuUsage();
        const r = await load(t.port, seconds);
        const loadUsage = process.cpuUsage(loadBefore);
        const backendCpu = (await backend.cpu()) - backendBefore;
        const cpu = (await t.cpu()) - cpuBefore;
        const ok = r.requests.total - r.non2xx;
        const into = row(t.target);
        const average = (prior: number, micros: number): number => (prior * into.requests + micros) / Math.max(1, into.requests + ok);
        into.cpuMicrosPerRequest = average(into.cpuMicrosPerRequest, cpu);
        into.backendCpuMicrosPerRequest = average(into.backendCpuMicrosPerRequest, backendCpu);
        into.loadCpuMicrosPerRequest = average(into.loadCpuMicrosPerRequest, loadUsage.user + loadUsage.system);
        into.requests += ok;
        into.seconds += r.duration;
        into.requestsPerSecond = into.requests / into.seconds;
        into.p99Ms = Math.max(into.p99Ms, r.latency.p99);
        into.failed += r.non2xx + r.errors;
        into.perRound.push(ok / r.duration);
        const µs = (v: number): number => Math.round(v / Math.max(1, ok));
        line.set(
          t.target,
          `${t.target} ${Math.round(ok / r.duration)}/s (µs/req: load ${µs(loadUsage.user + loadUsage.system)}, backend ${µs(backendCpu)}${t.target === 'backend' ? '' : `, proxy ${µs(cpu)}`})`,
        );
      }
      const ratio = (row('ProxyIngress').perRound[round] ?? 0) / Math.max(1, row('NginxIngress').perRound[round] ?? 0);
      proxyOverNginxPerRound.push(ratio);
      const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      console.log(
        `round ${round + 1} (load average ${load1}): ${targets.map((t) => line.get(t.target)).join('; ')}; ProxyIngress / NginxIngress ${ratio.toFixed(2)}x`,
      );
    }
  } finally {
    await nginx.stop();
    rmSync(prefix, { recursive: true, force: true });
    for (const c of [proxy, floor, backend]) c.proc.disconnect(); // each exits on disconnect (a profile is written then)
  }
  const list = targets.map((t) => row(t.target));
  const direct = row('backend');
  const viaProxy = row('ProxyIngress');
  const viaNginx = row('NginxIngress');
  const viaFloor = row('floor');
  console.table(
    list.map((r) => ({
      target: r.target,
      'requests/s': Math.round(r.requestsPerSecond),
      'x backend': (r.requestsPerSecond / direct.requestsPerSecond).toFixed(2),
      'p99 ms': r.p99Ms,
      'p99 x backend': (r.p99Ms / Math.max(1, direct.p99Ms)).toFixed(2),
      'proxy CPU µs/req': r.target === 'backend' ? '-' : Math.round(r.cpuMicrosPerRequest),
      'backend µs/req': Math.round(r.backendCpuMicrosPerRequest),
      'autocannon µs/req': Math.round(r.loadCpuMicrosPerRequest),
      failed: r.failed,
    })),
  );
  const proxyOverNginx = viaProxy.requestsPerSecond / viaNginx.requestsPerSecond;
  const shared = sharedMicros(list);
  const cpuModel: IngressCpuModel = {
    proxyOverNginx: (shared + viaNginx.cpuMicrosPerRequest) / (shared + viaProxy.cpuMicrosPerRequest),
    floorOverNginx: (shared + viaNginx.cpuMicrosPerRequest) / (shared + viaFloor.cpuMicrosPerRequest),
    proxyMicrosForTarget: (shared + viaNginx.cpuMicrosPerRequest) / TARGET - shared,
  };
  const perRound = proxyOverNginxPerRound.map((r) => r.toFixed(2)).join(', ');
  console.log(
    `ProxyIngress / NginxIngress: ${proxyOverNginx.toFixed(2)}x requests/s (target >= ${TARGET}x; per round ${perRound}), p99 ${(viaProxy.p99Ms / Math.max(1, viaNginx.p99Ms)).toFixed(2)}x, CPU per request ${(viaProxy.cpuMicrosPerRequest / Math.max(1, viaNginx.cpuMicrosPerRequest)).toFixed(2)}x`,
  );
  console.log(
    `CPU-bound ratio (load + backend ${Math.round(shared)} µs/req, plus each proxy's): ProxyIngress ${cpuModel.proxyOverNginx.toFixed(2)}x, floor ${cpuModel.floorOverNginx.toFixed(2)}x; ${TARGET}x needs ProxyIngress at ${Math.round(cpuModel.proxyMicrosForTarget)} µs/req (now ${Math.round(viaProxy.cpuMicrosPerRequest)}, the floor ${Math.round(viaFloor.cpuMicrosPerRequest)}, nginx ${Math.round(viaNginx.cpuMicrosPerRequest)})`,
  );
  return { rows: list, proxyOverNginx, proxyOverNginxPerRound, cpuModel };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [seconds, rounds] = process.argv.slice(2).map(Number);
  await benchIngress(seconds || 5, rounds || 3);
  process.exit(0);
}
