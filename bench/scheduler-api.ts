/**
 * The scheduler against the API only, measured as kube-scheduler's scheduler_perf measures it:
 * a Cluster with no controllers and no node agents; N Node objects created directly (status
 * allocatable cpu 32, memory 128Gi, pods 110, Ready=True, three zones), then P bare pods created
 * directly through the API in batches while the scheduler runs. Reports pods bound per second
 * from the first binding to the last. Nothing runs the pods: this is the scheduling throughput
 * (watch -> queue -> filter/score -> bind -> store), not the whole pipeline.
 * SCHEDULER_BENCH_PROFILE=<file> writes a CPU profile of the pods phase.
 * Run through bench/scheduler.ts, or alone: `npx tsx bench/scheduler-api.ts [nodes] [pods]` (default 1,000 / 30,000).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Cluster } from '../src/cluster/cluster.js';
import { RealClock } from '../src/clock/real-clock.js';
import type { Node, Pod } from '../src/model/types.js';
import { samplePeakMemory } from './peak-memory.js';

/** Pods created at once (scheduler_perf creates its pods in parallel batches too). */
const BATCH = 500;
const CPU = ['100m', '250m', '500m', '1'];
const MEMORY = ['128Mi', '256Mi', '512Mi', '1Gi', '2Gi'];

/** The container requests of the i-th app of the scale runs (end to end and scheduler-only use the same mix). */
export function appRequests(app: number): { cpu: string; memory: string } {
  return { cpu: CPU[app % CPU.length], memory: MEMORY[(app * 7) % MEMORY.length] };
}

/** Figures of one scheduler-only run. */
export interface SchedulerApiBenchResult {
  nodes: number;
  pods: number;
  /** From the first pod created to the last created. */
  createMs: number;
  /** From the first pod created to the last binding. */
  allBoundMs: number;
  /** Pods bound per second, from the first binding to the last. */
  bindRate: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** CPU time of the process (user + system) from the first pod created to the last binding. */
  cpuMs: number;
}

function nodeObject(i: number, now: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
    spec: {},
    status: {
      capacity: { cpu: '32', memory: '128Gi', pods: '110' },
      allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }],
    },
  } as Node;
}

function podObject(i: number): Pod {
  // One "app" per 100 pods, sizes cycled per app as in the end-to-end run.
  const app = Math.floor(i / 100);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${app}` } },
    spec: {
      containers: [{ name: 'app', image: 'bench:1', resources: { requests: appRequests(app) } }],
    },
  };
}

/** Runs the scheduler against the API only at one size and returns its figures. */
export async function runSchedulerApiBench(nodeCount: number, podCount: number): Promise<SchedulerApiBenchResult> {
  const memory = samplePeakMemory();

  const cluster = await Cluster.start({ clock: new RealClock(), recordEvents: false, controllers: false });
  const scheduler = cluster.scheduler!;
  const nodes = cluster.client<Node>('v1', 'Node');
  const now = new Date().toISOString();
  for (let i = 0; i < nodeCount; i += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(nodeCount, i + BATCH); j++) {
      batch.push(
        nodes.create(nodeObject(j, now)).then((n) =>
          // Status is a subresource: write it explicitly in case create reset it.
          n.status?.allocatable ? n : nodes.updateStatus({ ...n, status: nodeObject(j, now).status }),
        ),
      );
    }
    await Promise.all(batch);
  }
  // Let the scheduler's node informer see every node before the pods come.
  while (scheduler.cache.nodeInfos().length < nodeCount) await new Promise((r) => setTimeout(r, 10));

  // Bindings counted from the scheduler's own counter, polled (as scheduler_perf samples its informer).
  let firstBind = 0;
  let lastBind = 0;
  let seen = 0;
  let done!: () => void;
  const allBound = new Promise<void>((resolve) => (done = resolve));
  const poll = setInterval(() => {
    const n = scheduler.scheduledCount;
    if (n === seen) return;
    const t = performance.now();
    if (seen === 0) firstBind = t;
    seen = n;
    lastBind = t;
    if (n >= podCount) done();
  }, 5);

  const pods = cluster.pods('default');
  // SCHEDULER_BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the pods phase only (not node creation).
  const profileTo = process.env.SCHEDULER_BENCH_PROFILE;
  const session = profileTo ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const tCreate = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < podCount; i += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(podCount, i + BATCH); j++) batch.push(pods.create(podObject(j)));
    await Promise.all(batch);
  }
  const createMs = performance.now() - tCreate;
  const progress = setInterval(() => {
    process.stderr.write(`  [api-only] bound ${scheduler.scheduledCount}/${podCount}\n`);
  }, 5000);
  await allBound;
  clearInterval(progress);
  clearInterval(poll);
  const cpu = process.cpuUsage(cpu0);
  if (session && profileTo) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    session.disconnect();
  }
  const peaks = memory.stop();
  await cluster.stop();
  return {
    nodes: nodeCount,
    pods: podCount,
    createMs,
    allBoundMs: lastBind - tCreate,
    bindRate: (podCount - 1) / ((lastBind - firstBind) / 1000),
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...peaks,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [nodes = 1000, pods = 30_000] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map(Number);
  const r = await runSchedulerApiBench(nodes, pods);
  console.log(
    `scheduler-api: ${r.nodes} nodes, ${r.pods} pods: ${Math.round(r.bindRate)} pods/s (first binding to last), create ${(r.createMs / 1000).toFixed(1)} s, all bound ${(r.allBoundMs / 1000).toFixed(1)} s, cpu ${(r.cpuMs / 1000).toFixed(1)} s, peak rss ${Math.round(r.peakRssMiB)} MiB`,
  );
  process.exit(0);
}
