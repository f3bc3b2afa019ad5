/** A process's children from /proc (Linux), without scanning every process. */
import { readdirSync, readFileSync } from 'node:fs';

/** The child pids of a process: the `children` list of each of its threads (empty when /proc has none). */
export function childrenOf(pid: number): string[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const tid of tids) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}
