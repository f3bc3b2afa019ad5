/**
 * Container resource limits for the runtime: Kubernetes quantities ('500m', '1Gi') turned
 * into millicores and bytes.
 */
import type { core } from '../model/types.js';

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The numeric value of a quantity ('100m' -> 0.1, '1Gi' -> 1073741824); NaN when malformed. */
export function quantityValue(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  if (typeof q === 'number') return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) return NaN;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ''];
}

/** The runtime limits of a container: cpu in millicores (rounded up), memory in bytes. */
export function runtimeResources(resources: core.ResourceRequirements | undefined): { cpuMillis?: number; memoryBytes?: number } {
  const out: { cpuMillis?: number; memoryBytes?: number } = {};
  const cpu = quantityValue(resources?.limits?.cpu as string | undefined);
  const mem = quantityValue(resources?.limits?.memory as string | undefined);
  if (Number.isFinite(cpu)) out.cpuMillis = Math.ceil(cpu * 1000 - 1e-9);
  if (Number.isFinite(mem)) out.memoryBytes = Math.ceil(mem - 1e-9);
  return out;
}
