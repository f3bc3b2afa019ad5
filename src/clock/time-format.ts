/** Kubernetes' timestamp forms, as every component writes them. */

/** The second last formatted by {@link rfc3339}, and its text (shared by every call in that second). */
let lastSecond = Number.NaN;
let lastText = '';

/**
 * RFC 3339 with second precision, as metav1.Time: '2026-01-01T00:00:00Z'. Calls within one second
 * return the same string (thousands of pod conditions share one instead of each holding a copy).
 */
export function rfc3339(t: Date | number): string {
  const second = Math.floor((typeof t === 'number' ? t : t.getTime()) / 1000);
  if (second === lastSecond) return lastText;
  const text = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  lastText = text;
  return text;
}

/** RFC 3339 with microseconds, as metav1.MicroTime (Lease renewTime): '2026-01-01T00:00:00.000000Z'. */
export function microTime(t: Date | number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
