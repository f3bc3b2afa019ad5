/**
 * From a metrics' recommendation to the replicas an HPA sets (Kubernetes' normalizeDesiredReplicas
 * and normalizeDesiredReplicasWithBehaviors): stabilization over the recent recommendations
 * (5 minutes down without behavior; each direction's stabilizationWindowSeconds with it), then
 * the bounds (min/maxReplicas, and the scale rate: x2 or +4 without behavior, the policies with
 * it). The recommendations and scale events are the controller's memory, kept here per HPA.
 */
import type { autoscaling } from '../../model/types.js';

/** Kubernetes' default --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60 * 1000;

interface Recommendation {
  atMs: number;
  replicas: number;
}
interface ScaleEvent {
  atMs: number;
  change: number;
  outdated: boolean;
}

/** An HPA's memory: its recent recommendations and scale events. */
export interface HpaHistory {
  recommendations: Recommendation[];
  scaleUp: ScaleEvent[];
  scaleDown: ScaleEvent[];
}

/** A fresh history. */
export function newHistory(): HpaHistory {
  return { recommendations: [], scaleUp: [], scaleDown: [] };
}

/** A condition the normalization sets: AbleToScale's reason and ScalingLimited's. */
export interface Normalized {
  replicas: number;
  ableToScale: { reason: string; message: string };
  scalingLimited: { status: 'True' | 'False'; reason: string; message: string };
}

/** The default scale-up rules of autoscaling/v2 (GenerateHPAScaleUpRules). */
export function scaleUpRules(
  r: autoscaling.HPAScalingRules | undefined,
): Required<Pick<autoscaling.HPAScalingRules, 'policies' | 'selectPolicy' | 'stabilizationWindowSeconds'>> {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? 0,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies?.length
      ? r.policies
      : [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
  };
}

/** The default scale-down rules of autoscaling/v2 (GenerateHPAScaleDownRules). */
export function scaleDownRules(
  r: autoscaling.HPAScalingRules | undefined,
): Required<Pick<autoscaling.HPAScalingRules, 'policies' | 'selectPolicy' | 'stabilizationWindowSeconds'>> {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? 300,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies?.length ? r.policies : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

function limits(current: number, desired: number, min: number, max: number): Pick<Normalized, 'replicas' | 'scalingLimited'> {
  const scaleUpLimit = Math.max(2 * current, 4);
  let maxAllowed: number;
  let reason: string;
  let message: string;
  if (max > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maxAllowed = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) {
    return {
      replicas: min,
      scalingLimited: {
        status: 'True',
        reason: 'TooFewReplicas',
        message: 'the desired replica count is less than the minimum replica count',
      },
    };
  }
  if (desired > maxAllowed) return { replicas: maxAllowed, scalingLimited: { status: 'True', reason, message } };
  return {
    replicas: desired,
    scalingLimited: { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
  };
}

/** Without behavior: the highest recommendation of the last 5 minutes, then the bounds. */
export function normalize(h: HpaHistory, current: number, desired: number, min: number, max: number, nowMs: number): Normalized {
  let stabilized = desired;
  let old = -1;
  for (const [i, r] of h.recommendations.entries()) {
    if (r.atMs < nowMs - DOWNSCALE_STABILIZATION_MS) old = i;
    else if (r.replicas > stabilized) stabilized = r.replicas;
  }
  if (old >= 0) h.recommendations[old] = { atMs: nowMs, replicas: desired };
  else h.recommendations.push({ atMs: nowMs, replicas: desired });
  const ableToScale =
    stabilized !== desired
      ? {
          reason: 'ScaleDownStabilized',
          message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
        }
      : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
  const l = limits(current, stabilized, min, max);
  return { ...l, ableToScale };
}

function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.atMs > cutoff) sum += e.change;
  return sum;
}

function scaleUpLimit(h: HpaHistory, current: number, rules: ReturnType<typeof scaleUpRules>, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(h.scaleUp, p.periodSeconds, nowMs) + changeInPeriod(h.scaleDown, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

function scaleDownLimit(h: HpaHistory, current: number, rules: ReturnType<typeof scaleDownRules>, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // For scaling down, the Min policy is the one that removes the fewest pods: the highest limit.
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(h.scaleUp, p.periodSeconds, nowMs) + changeInPeriod(h.scaleDown, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** With behavior: each direction's stabilization window, then the policies' rate and the bounds. */
export function normalizeWithBehavior(
  h: HpaHistory,
  behavior: autoscaling.HorizontalPodAutoscalerBehavior,
  current: number,
  desired: number,
  min: number,
  max: number,
  nowMs: number,
): Normalized {
  const up = scaleUpRules(behavior.scaleUp);
  const down = scaleDownRules(behavior.scaleDown);
  const upCutoff = nowMs - up.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - down.stabilizationWindowSeconds * 1000;
  let upRec = desired;
  let downRec = desired;
  let old = -1;
  for (const [i, r] of h.recommendations.entries()) {
    if (r.atMs > upCutoff) upRec = Math.min(r.replicas, upRec);
    if (r.atMs > downCutoff) downRec = Math.max(r.replicas, downRec);
    if (r.atMs < upCutoff && r.atMs < downCutoff) old = i;
  }
  let stabilized = current;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;
  if (old >= 0) h.recommendations[old] = { atMs: nowMs, replicas: desired };
  else h.recommendations.push({ atMs: nowMs, replicas: desired });
  const ableToScale =
    stabilized === desired
      ? { reason: 'ReadyForNewScale', message: 'recommended size matches current size' }
      : desired >= current
        ? {
            reason: 'ScaleUpStabilized',
            message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
          }
        : {
            reason: 'ScaleDownStabilized',
            message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
          };
  const within = { status: 'False' as const, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(h, current, up, nowMs), current);
    const maxAllowed = Math.min(max, limit);
    const limited =
      max > limit
        ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (stabilized > maxAllowed) return { replicas: maxAllowed, ableToScale, scalingLimited: { status: 'True', ...limited } };
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(h, current, down, nowMs), current);
    const minAllowed = Math.max(min, limit);
    const limited =
      min < limit
        ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (stabilized < minAllowed) return { replicas: minAllowed, ableToScale, scalingLimited: { status: 'True', ...limited } };
  }
  return { replicas: stabilized, ableToScale, scalingLimited: within };
}

function longestPeriodMs(rules: { policies: autoscaling.HPAScalingPolicy[] }): number {
  return Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
}

/** Records a rescale (storeScaleEvent), for the policies' rate; nothing without behavior. */
export function recordScaleEvent(
  h: HpaHistory,
  behavior: autoscaling.HorizontalPodAutoscalerBehavior | undefined,
  previous: number,
  next: number,
  nowMs: number,
): void {
  if (!behavior || previous === next) return;
  const upward = next > previous;
  const events = upward ? h.scaleUp : h.scaleDown;
  const longest = longestPeriodMs(upward ? scaleUpRules(behavior.scaleUp) : scaleDownRules(behavior.scaleDown));
  for (const e of events) if (e.atMs <= nowMs - longest) e.outdated = true;
  const event = { atMs: nowMs, change: Math.abs(next - previous), outdated: false };
  const old = events.findIndex((e) => e.outdated);
  if (old >= 0) events[old] = event;
  else events.push(event);
}
