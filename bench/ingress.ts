/**
 * Ingress benchmark on loopback: requests/s, p99 latency and CPU per request straight to a Node
 * HTTP backend, through ProxyIngress and through NginxIngress, in the same run and on the same
 * backend, printed as ratios. autocannon is the load generator (this process); the backend and
 * ProxyIngress each run in a process of their own (bench/ingress-child.ts), nginx in its own
 * (one worker, as NginxIngress configures it). Both adapters get the same routes, through their
 * `apply`, so the figure is the data plane alone. The targets are measured in rounds, interleaved,
 * so a burst of load from other programs on the machine falls on all three alike.
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

/** The figures of one target, summed over the rounds. */
export interface IngressBenchTarget {
  target: 'backend' | 'ProxyIngress' | 'NginxIngress';
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** The worst p99 of the rounds, ms. */
  p99Ms: number;
  /** CPU of the proxy's process per request (not the backend's), µs; 0 for the backend itself. */
  cpuMicrosPerRequest: number;
  failed: number;
}

/** What bench/run.ts and bench/targets.ts read. */
export interface IngressBenchResult {
  rows: IngressBenchTarget[];
  /** ProxyIngress's requests/s over NginxIngress's. */
  proxyOverNginx: number;
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

/** Runs the benchmark: `seconds` of load per target per round. */
export async function benchIngress(seconds = 5, rounds = 3): Promise<IngressBenchResult> {
  console.log(`\nIngress on loopback: ${CONNECTIONS} connections, ${seconds} s per target, ${rounds} rounds, interleaved`);
  const backend = await startChild('backend');
  const proxy = await startChild('proxy', String(backend.port));
  const prefix = mkdtempSync(join(tmpdir(), 'tugboat-bench-nginx-'));
  const nginx = new NginxIngress({ className: 'bench', prefix });
  const nginxPort = (await nginx.start()).port;
  await nginx.apply(benchRoutes(backend.port));
  const targets = [
    { target: 'backend' as const, port: backend.port, cpu: async () => 0 },
    { target: 'ProxyIngress' as const, port: proxy.port, cpu: proxy.cpu },
    { target: 'NginxIngress' as const, port: nginxPort, cpu: async () => nginxWorkersCpu(prefix) },
  ];
  const rows = new Map<string, IngressBenchTarget>();
  try {
    for (const t of targets) await load(t.port, 1); // warm-up: connections, JIT, pools
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        const cpuBefore = await t.cpu();
        const r = await load(t.port, seconds);
        const cpu = (await t.cpu()) - cpuBefore;
        const row = rows.get(t.target) ?? {
          target: t.target,
          requests: 0,
          seconds: 0,
          requestsPerSecond: 0,
          p99Ms: 0,
          cpuMicrosPerRequest: 0,
          failed: 0,
        };
        const ok = r.requests.total - r.non2xx;
        row.cpuMicrosPerRequest = (row.cpuMicrosPerRequest * row.requests + cpu) / Math.max(1, row.requests + ok);
        row.requests += ok;
        row.seconds += r.duration;
        row.requestsPerSecond = row.requests / row.seconds;
        row.p99Ms = Math.max(row.p99Ms, r.latency.p99);
        row.failed += r.non2xx + r.errors;
        rows.set(t.target, row);
      }
    }
  } finally {
    await nginx.stop();
    rmSync(prefix, { recursive: true, force: true });
    for (const c of [proxy, backend]) c.proc.disconnect(); // each exits on disconnect (a profile is written then)
  }
  const list = targets.map((t) => rows.get(t.target) as IngressBenchTarget);
  const [direct, viaProxy, viaNginx] = list as [IngressBenchTarget, IngressBenchTarget, IngressBenchTarget];
  console.table(
    list.map((r) => ({
      target: r.target,
      'requests/s': Math.round(r.requestsPerSecond),
      'x backend': (r.requestsPerSecond / direct.requestsPerSecond).toFixed(2),
      'p99 ms': r.p99Ms,
      'p99 x backend': (r.p99Ms / Math.max(1, direct.p99Ms)).toFixed(2),
      'proxy CPU µs/req': r.target === 'backend' ? '-' : Math.round(r.cpuMicrosPerRequest),
      failed: r.failed,
    })),
  );
  const proxyOverNginx = viaProxy.requestsPerSecond / viaNginx.requestsPerSecond;
  console.log(
    `ProxyIngress / NginxIngress: ${proxyOverNginx.toFixed(2)}x requests/s (target >= 0.8x), p99 ${(viaProxy.p99Ms / Math.max(1, viaNginx.p99Ms)).toFixed(2)}x, CPU per request ${(viaProxy.cpuMicrosPerRequest / Math.max(1, viaNginx.cpuMicrosPerRequest)).toFixed(2)}x`,
  );
  return { rows: list, proxyOverNginx };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [seconds, rounds] = process.argv.slice(2).map(Number);
  await benchIngress(seconds || 5, rounds || 3);
  process.exit(0);
}
