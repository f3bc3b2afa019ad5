/**
 * Kubernetes' timestamp forms, as every component writes them: the one place tugboat turns an
 * instant into text (no other code calls `toISOString`).
 * - {@link rfc3339}: metav1.Time, second precision (creationTimestamp, condition times, ...).
 * - {@link microTime}: metav1.MicroTime, microseconds (Event eventTime, Lease renewTime).
 * - {@link rfc3339Nano}: Go's RFC3339Nano, for a container runtime's own records (as Docker writes
 *   them), where sub-second order matters; never for an API object's field.
 */

/** The second last formatted by {@link rfc3339}, and its text (shared by every call in that second). */
let lastSecond = Number.NaN;
let lastText = '';

function ms(t: Date | number): number {
  return typeof t === 'number' ? t : t.getTime();
}

/**
 * RFC 3339 with second precision, as metav1.Time: '2026-01-01T00:00:00Z' (the fraction is
 * dropped, as Kubernetes truncates). Calls within one second return the same string (thousands
 * of pod conditions share one instead of each holding a copy).
 */
export function rfc3339(t: Date | number): string {
  const second = Math.floor(ms(t) / 1000);
  if (second === lastSecond) return lastText;
  const text = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  lastText = text;
  return text;
}

/** RFC 3339 with microseconds, as metav1.MicroTime (Lease renewTime, Event eventTime): '2026-01-01T00:00:00.123000Z'. */
export function microTime(t: Date | number): string {
  return new Date(ms(t)).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * RFC 3339 with the fraction Go's RFC3339Nano writes (trailing zeros dropped, none on a whole
 * second): '2026-01-01T00:00:00.12Z'. For runtime records, not API objects.
 */
export function rfc3339Nano(t: Date | number): string {
  return new Date(ms(t)).toISOString().replace(/\.(\d{3})Z$/, (_, f: string) => {
    const trimmed = f.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}
