/**
 * The speed targets of issue 10, each printed beside the figure measured for it in this run
 * (bench/run.ts prints this table last).
 */
import type { SchedulerBenchResult } from './scheduler.js';
import type { SchedulerApiBenchResult } from './scheduler-api.js';
import type { DockerBenchRow } from './docker.js';
import type { IngressBenchResult } from './ingress.js';
import type { ApiBenchResult } from './api.js';

/** One row: a figure, its target, and whether it was met. */
export interface TargetRow {
  figure: string;
  measured: string;
  target: string;
  met: string;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const yes = (ok: boolean | undefined): string => (ok === undefined ? '-' : ok ? 'yes' : 'no');

/** The rows of every figure measured (a size or Docker scenario not run is left out). */
export function targetRows(
  endToEnd: SchedulerBenchResult[],
  schedulerOnly: SchedulerApiBenchResult[],
  docker: DockerBenchRow[] = [],
  ingress?: IngressBenchResult,
  api: ApiBenchResult[] = [],
): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const r of endToEnd) {
    const size = `${int(r.nodes)} / ${int(r.pods)}`;
    const rate = r.pods / (r.allRunningMs / 1000);
    const ev = r.events ? 'events on' : 'events OFF';
    if (r.nodes >= 5_000) {
      rows.push({
        figure: `end to end ${size} (${ev}): apply to all Running`,
        measured: `${secs(r.allRunningMs)} (${int(rate)} pods/s)`,
        target: '<= 30 s (5,000 pods/s)',
        met: yes(r.allRunningMs <= 30_000),
      });
      rows.push({
        figure: `end to end ${size}: peak RSS`,
        measured: `${int(r.peakRssMiB)} MiB`,
        target: '< 2,048 MiB',
        met: yes(r.peakRssMiB < 2048),
      });
    } else {
      rows.push({
        figure: `end to end ${size} (${ev}): pods Running per second`,
        measured: `${int(rate)} pods/s (${secs(r.allRunningMs)})`,
        target: '>= 6,000 pods/s',
        met: yes(rate >= 6_000),
      });
    }
    rows.push({
      figure: `end to end ${size}: longest stall (no pod became Running)`,
      measured: `${secs(r.progress.longestStallMs)} at ${r.progress.longestStallAtS.toFixed(1)} s`,
      target: '<= 1 s',
      met: yes(r.progress.longestStallMs <= 1_000),
    });
  }
  for (const s of schedulerOnly) {
    if (s.nodes < 5_000) continue;
    rows.push({
      figure: `scheduler through the API, ${int(s.nodes)} nodes / ${int(s.pods)} pods`,
      measured: `${int(s.bindRate)} pods/s`,
      target: '>= 10,000 pods/s',
      met: yes(s.bindRate >= 10_000),
    });
  }
  const ms = (scenario: string, n = 20): number | undefined => docker.find((d) => d.scenario === scenario && d.replicas === n)?.ms;
  const tug = ms('tugboat, 1 node');
  const floor = ms('floor: pause sandbox + container/replica');
  if (tug !== undefined && floor !== undefined) {
    rows.push({
      figure: 'Docker: 20 replicas Ready / 20 pause+container pairs by dockerode',
      measured: `${(tug / floor).toFixed(2)}x (${secs(tug)} / ${secs(floor)})`,
      target: '<= 1.3x',
      met: yes(tug / floor <= 1.3),
    });
  }
  const update = ms('update: tugboat, 1 node');
  const swarm = ms('update: swarm parallelism 5, start-first');
  if (update !== undefined && swarm !== undefined) {
    rows.push({
      figure: 'Docker: rolling update of 20 / docker service update (parallelism 5, start-first)',
      measured: `${(update / swarm).toFixed(2)}x (${secs(update)} / ${secs(swarm)})`,
      target: '<= 1.0x',
      met: yes(update / swarm <= 1),
    });
  }
  if (ingress) {
    const rps = (t: string): number => ingress.rows.find((r) => r.target === t)?.requestsPerSecond ?? 0;
    rows.push({
      figure: 'Ingress (issue 13): ProxyIngress / NginxIngress requests/s, same backend',
      measured: `${ingress.proxyOverNginx.toFixed(2)}x (${int(rps('ProxyIngress'))} / ${int(rps('NginxIngress'))} req/s; rounds ${ingress.proxyOverNginxPerRound.map((r) => r.toFixed(2)).join(', ')}; CPU-bound ${ingress.cpuModel.proxyOverNginx.toFixed(2)}x, floor ${ingress.cpuModel.floorOverNginx.toFixed(2)}x)`,
      target: '>= 0.8x',
      met: yes(ingress.proxyOverNginx >= 0.8),
    });
  }
  for (const run of api) {
    for (const op of ['get', 'list (1,000)', 'create', 'watch latency'] as const) {
      const http = run.rows.find((r) => r.op === op && r.client === 'HTTPS');
      const local = run.rows.find((r) => r.op === op && r.client === 'in-process');
      if (!http || !local) continue;
      const each = (r: typeof http): string => `${int(r.requestsPerSecond)}/s p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} ms`;
      rows.push({
        figure: `API (issue 14), ${run.concurrency} in flight: ${op}, HTTPS | in-process`,
        measured: `${each(http)} | ${each(local)}`,
        target: 'figure only',
        met: '-',
      });
    }
  }
  return rows;
}

/** Prints the table of targets. */
export function printTargets(rows: TargetRow[]): void {
  console.log('\nTargets (issue 10, and the figures issues 13 and 14 ask for): each figure of this run beside its target');
  console.table(rows);
}
