/**
 * Scheduler core micro-benchmark: the pure cycle (PreFilter, Filter, Score, select, assume) on
 * the incremental NodeInfo cache, without the API. Prints pods/s, CPU time and heap; asserts nothing.
 * Run: npx tsx bench/scheduler-core.ts [nodes] [pods]
 */
import type { Node, Pod } from '../src/model/types.js';
import { NodeInfoCache } from '../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../src/scheduler/registry.js';
import { scheduleOne, seededRandom } from '../src/scheduler/schedule-one.js';
import { podInfoOf } from '../src/scheduler/pod-info.js';

function run(nodeCount: number, podCount: number): void {
  const cache = new NodeInfoCache();
  for (let i = 0; i < nodeCount; i++) {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, zone: `z${i % 3}` } },
      status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110' } },
    };
    cache.setNode(node);
  }
  const sizes = [
    { cpu: '100m', memory: '128Mi' },
    { cpu: '250m', memory: '256Mi' },
    { cpu: '500m', memory: '1Gi' },
  ];
  const registry = defaultRegistry();
  const random = seededRandom(1);
  let start = 0;
  let failed = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < podCount; i++) {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `d${i % 50}` } },
      spec: { containers: [{ name: 'c', image: 'img', resources: { requests: sizes[i % 3] } }] },
    };
    const out = scheduleOne(registry, pod, cache, { startIndex: start, random });
    start = (start + out.processed) % nodeCount;
    if (out.ok) cache.assumePod(podInfoOf({ ...pod, spec: { ...pod.spec!, nodeName: out.nodeName } }), out.nodeName);
    else failed++;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(
    `scheduler-core: ${nodeCount} nodes, ${podCount} pods: ${ms.toFixed(0)} ms, ${Math.round((podCount / ms) * 1000)} pods/s, cpu ${cpuMs.toFixed(0)} ms (${Math.round((podCount / cpuMs) * 1000)} pods per cpu-second), ${failed} unschedulable, heap ${heap.toFixed(0)} MiB`,
  );
}

const nodes = Number(process.argv[2] ?? 0);
const pods = Number(process.argv[3] ?? 0);
if (nodes > 0 && pods > 0) run(nodes, pods);
else {
  run(1000, 30_000);
  run(5000, 150_000);
}
