/**
 * A DaemonSet's pods grouped by the node each is for, and the order Kubernetes reads them in
 * (podByCreationTimestampAndPhase: scheduled first, then oldest, then by name).
 */
import type { Pod } from '../../model/types.js';
import { timeMs } from '../util/time.js';
import { targetNodeName } from './daemon-pod.js';

/** Pods by target node name; pods with no target node are left out (GetTargetNodeName fails). */
export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = targetNodeName(p);
    if (node === undefined) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** Scheduled pods first, then by creation time, then by name. */
export function byScheduledThenAge(a: Pod, b: Pod): number {
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ta = timeMs(a.metadata.creationTimestamp) ?? 0;
  const tb = timeMs(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
