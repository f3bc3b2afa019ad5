/**
 * Resource usage from the task's cgroup metrics (containerd's Tasks.Metrics: cgroups v1 or v2
 * Metrics in an Any). CPU in millicores over the time since the previous sample of this runtime
 * (or over 100 ms when it has none); memory as usage minus the inactive page cache.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { TugboatError } from '../../model/errors.js';
import type { ContainerStats } from '../types.js';
import type { AnyValue } from './grpc-client.js';
import type { ContainerdScope } from './scope.js';

/** CPU time (ns) and memory (bytes) of one sample. */
export interface CgroupSample {
  cpuNanos: number;
  memoryBytes: number;
}

/** Reads a decoded cgroups v1 or v2 Metrics message (pure). */
export function toSample(typeUrl: string, m: Record<string, any>): CgroupSample {
  if (typeUrl.includes('cgroups.v2')) {
    const usage = m.memory?.usage ?? 0;
    const inactive = m.memory?.inactive_file ?? 0;
    return { cpuNanos: (m.cpu?.usage_usec ?? 0) * 1000, memoryBytes: Math.max(0, usage > inactive ? usage - inactive : usage) };
  }
  const usage = m.memory?.usage?.usage ?? 0;
  const inactive = m.memory?.total_inactive_file ?? m.memory?.inactive_file ?? 0;
  return { cpuNanos: m.cpu?.usage?.total ?? 0, memoryBytes: Math.max(0, usage > inactive ? usage - inactive : usage) };
}

/** Millicores used between two samples `ms` apart (pure). */
export function cpuMillis(before: number, after: number, ms: number): number {
  if (ms <= 0 || after < before) return 0;
  return Math.round(((after - before) / 1e6 / ms) * 1000);
}

async function sample(scope: ContainerdScope, id: string): Promise<CgroupSample & { at: number }> {
  const { metrics } = await scope.call<{ metrics: Array<{ data: AnyValue }> }>('tasks', 'Metrics', { filters: [`id==${id}`] });
  const data = metrics[0]?.data;
  const decoded = scope.client.unpack<Record<string, any>>(data);
  if (!data || !decoded)
    throw new TugboatError('NotFound', `containerd: no metrics for container ${id} (is it running?)`, { kind: 'Container', name: id });
  return { ...toSample(data.type_url, decoded), at: performance.now() };
}

/** One stats reading of a running container. */
export async function containerStats(
  scope: ContainerdScope,
  id: string,
  previous: Map<string, CgroupSample & { at: number }>,
): Promise<ContainerStats> {
  let before = previous.get(id);
  if (!before) {
    before = await sample(scope, id);
    await delay(100);
  }
  const now = await sample(scope, id);
  previous.set(id, now);
  return { cpuMillis: cpuMillis(before.cpuNanos, now.cpuNanos, now.at - before.at), memoryBytes: now.memoryBytes, at: new Date() };
}
