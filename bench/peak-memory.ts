/**
 * Peak memory of a benchmark run: samples process.memoryUsage() every 200 ms (and once more when
 * stopped) and reports the highest RSS and heap seen, in MiB.
 */

/** A running sampler; `stop()` takes a last sample, ends sampling and returns the peaks. */
export interface PeakMemory {
  stop(): { peakRssMiB: number; peakHeapMiB: number };
}

/** Starts sampling this process's memory; call `stop()` once the measured work is done. */
export function samplePeakMemory(intervalMs = 200): PeakMemory {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(sampler);
      return { peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20 };
    },
  };
}
