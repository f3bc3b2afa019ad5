/**
 * The tolerations Kubernetes gives every daemon pod (AddOrUpdateDaemonPodTolerations), so node
 * problems neither evict nor block it: not-ready and unreachable NoExecute without
 * tolerationSeconds; disk-, memory-, pid-pressure and unschedulable NoSchedule; and
 * network-unavailable NoSchedule for hostNetwork pods.
 */
import type { core } from '../../model/types.js';
import { jsonEqual } from '../../model/json.js';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from '../../model/well-known.js';

const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): core.Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations a daemon pod of this spec gets, in Kubernetes' order. */
export function daemonTolerations(hostNetwork: boolean | undefined): core.Toleration[] {
  const out = [
    exists(TAINT_NODE_NOT_READY, 'NoExecute'),
    exists(TAINT_NODE_UNREACHABLE, 'NoExecute'),
    exists(TAINT_NODE_DISK_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_MEMORY_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_PID_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_UNSCHEDULABLE, 'NoSchedule'),
  ];
  if (hostNetwork) out.push(exists(TAINT_NODE_NETWORK_UNAVAILABLE, 'NoSchedule'));
  return out;
}

/** Same key, operator, value and effect (Kubernetes' Toleration.MatchToleration). */
function sameToleration(a: core.Toleration, b: core.Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/**
 * Adds `toleration`, or replaces those matching it (so a user's not-ready toleration with
 * tolerationSeconds becomes unlimited), as AddOrUpdateTolerationInPodSpec. Returns the same
 * array when an identical toleration is already there.
 */
export function addOrUpdateToleration(tolerations: readonly core.Toleration[], toleration: core.Toleration): readonly core.Toleration[] {
  const out: core.Toleration[] = [];
  let updated = false;
  for (const t of tolerations) {
    if (!sameToleration(t, toleration)) {
      out.push(t);
      continue;
    }
    if (jsonEqual(t, toleration)) return tolerations;
    out.push(toleration);
    updated = true;
  }
  if (!updated) out.push(toleration);
  return out;
}

/** The pod spec's tolerations with the daemon tolerations added or updated. */
export function withDaemonTolerations(spec: core.PodSpec): core.Toleration[] {
  let out: readonly core.Toleration[] = spec.tolerations ?? [];
  for (const t of daemonTolerations(spec.hostNetwork)) out = addOrUpdateToleration(out, t);
  return [...out];
}
