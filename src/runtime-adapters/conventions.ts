/**
 * Conventions every runtime adapter shares: how a label filter matches and which reason an
 * exited container reports.
 */

/** True when `labels` include every entry of `wanted` (no `wanted` matches everything). */
export function hasLabels(labels: Record<string, string>, wanted?: Record<string, string>): boolean {
  if (!wanted) return true;
  for (const key in wanted) if (labels[key] !== wanted[key]) return false;
  return true;
}

/** The reason Kubernetes gives a terminated container: 'Completed' for exit code 0, else 'Error'. */
export function exitReason(exitCode: number | undefined): string {
  return exitCode === 0 ? 'Completed' : exitCode === undefined ? 'Unknown' : 'Error';
}
