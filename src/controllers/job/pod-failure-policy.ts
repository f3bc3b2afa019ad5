/**
 * Matching a failed pod against a Job's podFailurePolicy, as Kubernetes does: the first rule
 * whose onExitCodes or onPodConditions matches decides (FailJob, Ignore or Count).
 */
import type { batch, core, Pod } from '../../model/types.js';

/** The outcome of {@link matchPodFailurePolicy}. */
export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Failed condition's message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure does not count toward backoffLimit. */
  countFailed: boolean;
  /** The action of the matching rule, if any. */
  action?: string;
}

function exitCodeMatches(code: number, req: batch.PodFailurePolicyOnExitCodesRequirement): boolean {
  if (req.operator === 'In') return req.values.includes(code);
  if (req.operator === 'NotIn') return !req.values.includes(code);
  return false;
}

function matchingContainer(pod: Pod, req: batch.PodFailurePolicyOnExitCodesRequirement): core.ContainerStatus | undefined {
  for (const list of [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []]) {
    for (const s of list) {
      const t = s.state?.terminated;
      if (!t) continue;
      if (req.containerName && req.containerName !== s.name) continue;
      if (t.exitCode !== 0 && exitCodeMatches(t.exitCode, req)) return s;
    }
  }
  return undefined;
}

/** Matches a failed pod against the policy (no policy: the failure counts). */
export function matchPodFailurePolicy(policy: batch.PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  const ref = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const s = matchingContainer(pod, rule.onExitCodes);
      if (!s) continue;
      failJobMessage = `Container ${s.name} for pod ${ref} failed with exit code ${s.state?.terminated?.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = (pod.status?.conditions ?? []).find((c) =>
        rule.onPodConditions!.some((p) => p.type === c.type && p.status === c.status),
      );
      if (!cond) continue;
      failJobMessage = `Pod ${ref} has condition ${cond.type} matching ${rule.action} rule at index ${index}`;
    } else continue;
    if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
    if (rule.action === 'Count') return { countFailed: true, action: 'Count' };
    if (rule.action === 'FailJob') return { failJobMessage, countFailed: true, action: 'FailJob' };
    if (rule.action === 'FailIndex') return { countFailed: true, action: 'FailIndex' };
  }
  return { countFailed: true };
}
