import type { ContainerStats } from '../types.js';
import { toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';

/** The parts of Docker's stats JSON that tugboat reads. */
export interface DockerStatsSample {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * Computes usage from one Docker stats sample (pure): CPU in millicores from the deltas between
 * the sample and the one before it (as `docker stats` does), memory as usage minus the
 * inactive page cache (cgroup v2 `inactive_file`, v1 `total_inactive_file`).
 */
export function toContainerStats(s: DockerStatsSample, fallbackTime: Date): ContainerStats {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuMillis = cpuDelta > 0 && systemDelta > 0 && pre.system_cpu_usage ? Math.round((cpuDelta / systemDelta) * cpus * 1000) : 0;
  const mem = s.memory_stats ?? {};
  const inactive = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? 0;
  const usage = mem.usage ?? 0;
  const memoryBytes = Math.max(0, usage > inactive ? usage - inactive : usage);
  const read = s.read && !s.read.startsWith('0001-') ? new Date(s.read) : fallbackTime;
  return { cpuMillis, memoryBytes, at: Number.isNaN(read.getTime()) ? fallbackTime : read };
}

/** One stats sample of a container (Docker takes about a second to measure CPU over). */
export async function containerStats(scope: DockerScope, id: string): Promise<ContainerStats> {
  try {
    const sample = (await scope.docker.getContainer(id).stats({ stream: false })) as DockerStatsSample;
    return toContainerStats(sample, new Date());
  } catch (err) {
    throw toTugboatError(err, 'stats of', { kind: 'Container', name: id });
  }
}
