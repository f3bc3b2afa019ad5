/**
 * Scale benchmark of the whole pipeline on MockRuntime with the real clock: N nodes (cpu 32,
 * memory 128Gi, pods 110, three zones) and P pods as Deployments of mixed sizes (1 to 500
 * replicas, cpu 100m-1, memory 128Mi-2Gi), from apply to every pod Running. Prints wall time,
 * binding throughput, time to all Running and peak memory; asserts nothing.
 * A second row per size measures the scheduler against the API only (bench/scheduler-api.ts:
 * no controllers, no node agents, Node objects and bare pods created directly), which is what
 * kube-scheduler's scheduler_perf measures (about 680-810 pods/s at 5,000 nodes).
 * Run alone: `npx tsx bench/scheduler.ts [nodes] [pods]` (defaults: both sizes, 1,000/30,000
 * and 5,000/150,000). Large sizes want a bigger heap: NODE_OPTIONS=--max-old-space-size=8192.
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Cluster } from '../src/cluster/cluster.js';
import { RealClock } from '../src/clock/real-clock.js';
import { MockRuntime } from '../src/runtime-adapters/mock/mock-runtime.js';
import { ALL_NAMESPACES } from '../src/client/types.js';
import { listWatch } from '../src/client/list-watch.js';
import type { Pod } from '../src/model/types.js';
import { appRequests, runSchedulerApiBench, type SchedulerApiBenchResult } from './scheduler-api.js';
import { samplePeakMemory } from './peak-memory.js';
import { formatCurve, ProgressCurve, type ProgressSummary } from './progress.js';

/** Deployment sizes, cycled until the pod count is reached (the last one is trimmed). */
const SIZES = [1, 3, 10, 25, 50, 100, 200, 500, 5, 150, 2, 75, 300, 20];

/** One row of the printed table. */
export interface SchedulerBenchResult {
  nodes: number;
  pods: number;
  deployments: number;
  /** Starting the cluster and registering every node. */
  nodesReadyMs: number;
  /** Applying every Deployment (the API calls themselves). */
  applyMs: number;
  /** From the first apply to the last pod Running. */
  wallMs: number;
  /** Pods bound per second, from the first binding to the last. */
  bindRate: number;
  /** From the first apply to the last pod created (by the ReplicaSet controller). */
  allCreatedMs: number;
  /** From the first apply to the last binding. */
  allBoundMs: number;
  /** From the first apply to the last pod Running. */
  allRunningMs: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** From the first apply to the first binding. */
  firstBindMs: number;
  /** CPU time of the process (user + system) from the first apply to the last pod Running: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Whether Events were recorded (the targets are with events on). */
  events: boolean;
  /** Pods Running per second and the longest stall. */
  progress: ProgressSummary;
}

function deploymentsFor(pods: number): { name: string; replicas: number; cpu: string; memory: string }[] {
  const out: { name: string; replicas: number; cpu: string; memory: string }[] = [];
  let left = pods;
  for (let i = 0; left > 0; i++) {
    const replicas = Math.min(left, SIZES[i % SIZES.length]);
    out.push({ name: `app-${i}`, replicas, ...appRequests(i) });
    left -= replicas;
  }
  return out;
}

/** Runs one size and returns its figures. */
export async function runSchedulerBench(nodeCount: number, podCount: number, events = false): Promise<SchedulerBenchResult> {
  const memory = samplePeakMemory();

  const t0 = performance.now();
  const runtime = new MockRuntime();
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    name: `node-${i}`,
    runtime,
    capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` },
  }));
  const cluster = await Cluster.start({ clock: new RealClock(), recordEvents: events, nodes });
  const nodesReadyMs = performance.now() - t0;

  // Count bindings and Running pods from one watch over all pods.
  const created = new Set<string>();
  let lastCreated = 0;
  const bound = new Set<string>();
  const running = new Set<string>();
  let firstBind = 0;
  let lastBind = 0;
  let lastRunning = 0;
  let done!: () => void;
  const allRunning = new Promise<void>((resolve) => (done = resolve));
  const abort = new AbortController();
  const pods = cluster.client<Pod>('v1', 'Pod', ALL_NAMESPACES);
  // The shared list-watch loop: a watch the store cuts off for falling behind (Expired) relists.
  const see = (pod: Pod): void => {
    const uid = pod.metadata.uid ?? '';
    if (!created.has(uid)) {
      created.add(uid);
      lastCreated = performance.now();
    }
    if (pod.spec?.nodeName && !bound.has(uid)) {
      bound.add(uid);
      lastBind = performance.now();
      if (bound.size === 1) firstBind = lastBind;
    }
    if (pod.status?.phase === 'Running' && !running.has(uid)) {
      running.add(uid);
      curve.running();
      lastRunning = performance.now();
      if (running.size === podCount) done();
    }
  };
  const watching = listWatch(
    pods,
    {
      onSync: (items) => items.forEach(see),
      onEvent: (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') see(ev.object as Pod);
      },
    },
    { signal: abort.signal, retry: () => true },
  ).catch(() => undefined);

  const deployments = deploymentsFor(podCount);
  const tApply = performance.now();
  const cpu0 = process.cpuUsage();
  const curve = new ProgressCurve();
  for (const d of deployments) {
    await cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: d.name, namespace: 'default' },
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: { app: d.name } },
        template: {
          metadata: { labels: { app: d.name } },
          spec: { containers: [{ name: 'app', image: 'bench:1', resources: { requests: { cpu: d.cpu, memory: d.memory } } }] },
        },
      },
    });
  }
  const applyMs = performance.now() - tApply;

  const progress = setInterval(() => {
    const s = ((performance.now() - tApply) / 1000).toFixed(0);
    process.stderr.write(
      `  [${s}s] created ${created.size}, bound ${bound.size}/${podCount}, running ${running.size}/${podCount}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`,
    );
  }, 5000);
  await allRunning;
  clearInterval(progress);
  const wallMs = performance.now() - tApply;
  const cpu = process.cpuUsage(cpu0);
  const progressSummary = curve.stop();
  const peaks = memory.stop();
  abort.abort();
  await watching;
  await cluster.stop();

  return {
    nodes: nodeCount,
    pods: podCount,
    deployments: deployments.length,
    nodesReadyMs,
    applyMs,
    wallMs,
    bindRate: (bound.size - 1) / ((lastBind - firstBind) / 1000),
    allCreatedMs: lastCreated - tApply,
    allBoundMs: lastBind - tApply,
    allRunningMs: lastRunning - tApply,
    firstBindMs: firstBind - tApply,
    cpuMs: (cpu.user + cpu.system) / 1000,
    events,
    progress: progressSummary,
    ...peaks,
  };
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Runs the scale benchmark (1,000 nodes / 30,000 pods, then 5,000 / 150,000, or the one size
 * given), end to end and scheduler-only, and prints a table.
 */
export async function benchScheduler(
  sizes: [number, number][] = [
    [1_000, 30_000],
    [5_000, 150_000],
  ],
  options: { events?: boolean } = {},
): Promise<{ endToEnd: SchedulerBenchResult[]; schedulerOnly: SchedulerApiBenchResult[] }> {
  const endToEnd: SchedulerBenchResult[] = [];
  const schedulerOnly: SchedulerApiBenchResult[] = [];
  const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
  for (const [n, p] of sizes) {
    process.stderr.write(`scheduler bench: ${int(n)} nodes, ${int(p)} pods, end to end (events ${options.events ? 'on' : 'off'})...\n`);
    endToEnd.push(await runSchedulerBench(n, p, options.events ?? false));
    gc();
    process.stderr.write(`scheduler bench: ${int(n)} nodes, ${int(p)} pods, scheduler against the API only...\n`);
    schedulerOnly.push(await runSchedulerApiBench(n, p));
    gc();
  }
  const none = '-';
  console.log(`\nScheduler at scale: MockRuntime, RealClock, recordEvents: ${options.events ?? false}`);
  console.log('  end to end: Deployments applied -> ReplicaSets -> pods -> scheduler -> node agents -> every pod Running');
  console.log(
    '  scheduler only: as scheduler_perf (no controllers, no node agents; Nodes and bare pods created through the API in batches of 500)',
  );
  console.log(
    '  binding rate: pods bound per second, first binding to last (kube-scheduler scheduler_perf: ~680-810 pods/s at 5,000 nodes)',
  );
  console.table(
    sizes.flatMap((_, i) => {
      const r = endToEnd[i];
      const s = schedulerOnly[i];
      return [
        {
          run: 'end to end',
          'nodes / pods': `${int(r.nodes)} / ${int(r.pods)}`,
          'nodes ready': secs(r.nodesReadyMs),
          'apply / create': secs(r.applyMs),
          'all created': secs(r.allCreatedMs),
          'binding rate': `${int(r.bindRate)} pods/s`,
          'all bound': secs(r.allBoundMs),
          'all Running': secs(r.allRunningMs),
          wall: secs(r.wallMs),
          'peak rss': `${int(r.peakRssMiB)} MiB`,
          'peak heap': `${int(r.peakHeapMiB)} MiB`,
          'first bind': secs(r.firstBindMs),
          cpu: secs(r.cpuMs),
          'longest stall': secs(r.progress.longestStallMs),
        },
        {
          run: 'scheduler only',
          'nodes / pods': `${int(s.nodes)} / ${int(s.pods)}`,
          'nodes ready': none,
          'apply / create': secs(s.createMs),
          'all created': secs(s.createMs),
          'binding rate': `${int(s.bindRate)} pods/s`,
          'all bound': secs(s.allBoundMs),
          'all Running': none,
          wall: secs(s.allBoundMs),
          'peak rss': `${int(s.peakRssMiB)} MiB`,
          'peak heap': `${int(s.peakHeapMiB)} MiB`,
          'first bind': none,
          cpu: secs(s.cpuMs),
          'longest stall': none,
        },
      ];
    }),
  );
  for (const r of endToEnd) {
    const p = r.progress;
    console.log(
      `  ${int(r.nodes)} / ${int(r.pods)} end to end: pods Running per second (longest stall ${secs(p.longestStallMs)} at ${p.longestStallAtS.toFixed(1)} s; event loop's longest delay ${secs(p.maxLoopDelayMs)})`,
    );
    console.log(formatCurve(p));
  }
  return { endToEnd, schedulerOnly };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [nodes, pods] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map(Number);
  const events = process.argv.includes('--events');
  await benchScheduler(nodes && pods ? [[nodes, pods]] : undefined, { events });
  process.exit(0);
}
