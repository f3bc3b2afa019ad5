/**
 * The progress curve of an end-to-end run: when each pod became Running, binned per second, and
 * the longest stall (the longest time in which no pod became Running, from the first apply to
 * the last pod Running), plus the event loop's longest delay (a stall of the whole process).
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

/** What {@link ProgressCurve.stop} reports. */
export interface ProgressSummary {
  /** Pods that became Running in each second after the start (index 0 = the first second). */
  perSecond: number[];
  /** The longest time without a pod becoming Running, start to last (ms). */
  longestStallMs: number;
  /** When that stall began, in seconds after the start. */
  longestStallAtS: number;
  /** The event loop's longest delay seen while the run lasted (ms). */
  maxLoopDelayMs: number;
}

/** Notes the time of every pod that became Running; started at the first apply. */
export class ProgressCurve {
  private readonly times: number[] = [];
  private readonly start = performance.now();
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.loop.enable();
  }

  /** One more pod Running, now. */
  running(): void {
    this.times.push(performance.now());
  }

  /** Ends the curve and summarises it. */
  stop(): ProgressSummary {
    this.loop.disable();
    const perSecond: number[] = [];
    let prev = this.start;
    let longest = 0;
    let longestAt = 0;
    for (const t of this.times) {
      const bin = Math.floor((t - this.start) / 1000);
      while (perSecond.length <= bin) perSecond.push(0);
      perSecond[bin]++;
      if (t - prev > longest) {
        longest = t - prev;
        longestAt = (prev - this.start) / 1000;
      }
      prev = t;
    }
    return { perSecond, longestStallMs: longest, longestStallAtS: longestAt, maxLoopDelayMs: this.loop.max / 1e6 };
  }
}

/** The curve as printed: `pods Running per second: 0 0 960 2,100 ...` wrapped to lines of 20 seconds. */
export function formatCurve(summary: ProgressSummary): string {
  const lines: string[] = [];
  for (let i = 0; i < summary.perSecond.length; i += 20) {
    const chunk = summary.perSecond.slice(i, i + 20).map((n) => String(n).padStart(5));
    lines.push(`    ${String(i).padStart(4)}s:${chunk.join('')}`);
  }
  return lines.join('\n');
}
