/**
 * Taints and tolerations as Kubernetes reads them (ToleratesTaint, FindMatchingUntoleratedTaint):
 * used by the scheduler's TaintToleration filter and by the DaemonSet controller.
 */
import type { core } from './types.js';

/** A taint as far as tolerations read it. */
export type TaintLike = Pick<core.Taint, 'key' | 'effect'> & { value?: string };

/** True when the toleration tolerates the taint (Kubernetes' ToleratesTaint). */
export function tolerates(t: core.Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal') return false;
  if (!t.key) return false; // an empty key with Equal matches nothing
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntolerated(
  taints: readonly core.Taint[] | undefined,
  tolerations: readonly core.Toleration[] | undefined,
  effects: readonly string[],
): core.Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) {
    if (!effects.includes(taint.effect)) continue;
    if (!(tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
