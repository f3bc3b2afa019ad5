/**
 * Container resource limits for the runtime: Kubernetes quantities ('500m', '1Gi') turned
 * into millicores and bytes.
 */
import type { core } from '../model/types.js';
import { quantityToMilli } from '../model/quantity.js';

/** The numeric value of a quantity ('100m' -> 0.1, '1Gi' -> 1073741824); NaN when absent or malformed. */
export function quantityValue(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  try {
    return quantityToMilli(q) / 1000;
  } catch {
    return NaN;
  }
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
