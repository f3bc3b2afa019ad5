/**
 * Completion indexes of Indexed Jobs: reading a pod's index, the `status.completedIndexes`
 * interval text ("0,2-4"), and which indexes still need a pod.
 */
import type { Pod } from '../../model/types.js';
import { JOB_COMPLETION_INDEX } from './names.js';

/** The completion index of a pod (its annotation), or undefined when absent or not a number. */
export function completionIndexOf(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (text === undefined || !/^(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** True when the pod has a valid index below `completions`. */
export function hasValidIndex(pod: Pod, completions: number): boolean {
  const ix = completionIndexOf(pod);
  return ix !== undefined && ix < completions;
}

/**
 * Parses `status.completedIndexes` into sorted, distinct indexes below `completions`
 * (Kubernetes' parseIndexesFromString: malformed parts are skipped).
 */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = Math.min(m[2] === undefined ? lo : Number(m[2]), completions - 1);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** Formats indexes as Kubernetes' interval text: sorted, runs of consecutive indexes as `a-b`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The lowest `count` indexes below `completions` that are neither succeeded nor held by an active pod. */
export function firstPendingIndexes(
  count: number,
  completions: number,
  succeeded: ReadonlySet<number>,
  active: ReadonlySet<number>,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !active.has(i)) out.push(i);
  return out;
}
