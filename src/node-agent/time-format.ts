/** Kubernetes' timestamp forms. */

/** RFC 3339 with second precision, as metav1.Time: '2026-01-01T00:00:00Z'. */
export function rfc3339(t: Date | number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime (Lease renewTime): '2026-01-01T00:00:00.000000Z'. */
export function microTime(t: Date | number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
