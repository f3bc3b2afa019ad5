/**
 * Reading Linux's /proc: whether a pid is still the process we started, its CPU time and RSS.
 */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc times (USER_HZ; 100 on every mainstream Linux). */
export const CLOCK_TICKS = 100;

/** The fields of /proc/<pid>/stat the runtime uses. */
export interface ProcStat {
  /** R, S, D, Z (zombie), T, ... */
  state: string;
  /** utime + stime + cutime + cstime, in clock ticks. */
  cpuTicks: number;
  /** Start time after boot, in clock ticks. */
  startTicks: number;
}

/** Parses the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (n: number): number => Number(f[n - 3]);
  const stat = { state: f[0], cpuTicks: num(14) + num(15) + num(16) + num(17), startTicks: num(22) };
  return Number.isFinite(stat.cpuTicks) && Number.isFinite(stat.startTicks) ? stat : undefined;
}

/** /proc/<pid>/stat, or undefined when there is no such process. */
export async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` runs and is the same process as the one that had `startTicks` (a reused pid
 * has another start time); a zombie counts as exited.
 */
export function isSameLiveProcess(stat: ProcStat | undefined, startTicks: number | undefined): boolean {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.startTicks === startTicks;
}

/** The resident set size in bytes (VmRSS of /proc/<pid>/status), 0 when unknown. */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
