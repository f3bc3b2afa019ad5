/** Reading the RFC 3339 timestamps of objects (creationTimestamp, condition times, lease renewals). */

/** A timestamp in ms since the epoch, or undefined when absent or unparsable. */
export function timeMs(t: string | undefined | null): number | undefined {
  if (!t) return undefined;
  const n = Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
}
