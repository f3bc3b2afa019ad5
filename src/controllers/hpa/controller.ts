/**
 * The HorizontalPodAutoscaler controller (Kubernetes' pkg/controller/podautoscaler): every sync
 * period it reads the target's scale subresource, computes the replicas each metric asks for
 * (the highest wins), stabilizes and bounds them (minReplicas/maxReplicas, behavior or the
 * default rate), sets the target's scale and writes the status with the AbleToScale,
 * ScalingActive and ScalingLimited conditions. It reconciles the stored autoscaling/v2 objects;
 * autoscaling/v1 ones are the same objects served through the API's version conversion.
 */
import type { autoscaling, HorizontalPodAutoscaler, KubeObject, Pod, Scale } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { jsonEqual } from '../../model/json.js';
import { parseSelector } from '../../model/selector.js';
import { setCondition } from '../../model/conditions.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import type { MetricsClient } from './types.js';
import { computeMetric, MetricError, type MetricProposal } from './metrics.js';
import { newHistory, normalize, normalizeWithBehavior, recordScaleEvent, type HpaHistory } from './normalize.js';

/** Kubernetes' default --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
const COMPONENT = 'horizontal-pod-autoscaler';

/** Options of {@link horizontalPodAutoscalerController}. */
export interface HpaControllerOptions {
  /** Where metrics come from (the cluster passes one over its node agents and custom metrics). */
  metrics: MetricsClient;
  /** How often each HPA is synced. @default {@link HPA_SYNC_PERIOD_MS} */
  syncPeriodMs?: number;
  /** Changes of the usage ratio within this are ignored. @default 0.1 */
  tolerance?: number;
}

type Conditions = autoscaling.HorizontalPodAutoscalerCondition[];

/** The replicas the metrics ask for (computeReplicasForMetrics), or the condition that stops scaling. */
async function replicasForMetrics(
  ctx: ReconcileContext,
  hpa: HorizontalPodAutoscaler,
  scale: Scale,
  metrics: MetricsClient,
  set: (type: string, status: string, reason: string, message: string) => void,
  tolerance: number | undefined,
): Promise<{ replicas: number; metric: string; statuses: autoscaling.MetricStatus[] } | { error: string }> {
  const specs = hpa.spec?.metrics ?? [];
  const namespace = hpa.metadata.namespace ?? 'default';
  const selectorText = scale.status?.selector;
  if (!selectorText) {
    set('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { error: 'selector is required' };
  }
  let pods: Pod[];
  try {
    const selector = parseSelector(selectorText);
    pods = await ctx.cache.list<Pod>('v1', 'Pod', { namespace, labelSelector: selector });
  } catch (err) {
    set('ScalingActive', 'False', 'InvalidSelector', `the HPA target's pods could not be listed: ${(err as Error).message}`);
    return { error: (err as Error).message };
  }
  const statuses: autoscaling.MetricStatus[] = [];
  let best: MetricProposal | undefined;
  let firstInvalid: MetricError | undefined;
  let invalid = 0;
  for (const spec of specs) {
    try {
      const p = await computeMetric({
        spec,
        namespace,
        specReplicas: scale.spec?.replicas ?? 0,
        statusReplicas: scale.status?.replicas ?? 0,
        pods,
        nowMs: ctx.clock.nowMs(),
        metrics,
        tolerance,
      });
      statuses.push(p.status);
      if (!best || p.replicas > best.replicas) best = p;
    } catch (err) {
      const e = err instanceof MetricError ? err : new MetricError('FailedGetResourceMetric', (err as Error).message);
      statuses.push({ type: '' });
      if (!firstInvalid) firstInvalid = e;
      invalid++;
    }
  }
  const specReplicas = scale.spec?.replicas ?? 0;
  if (!best || invalid >= specs.length || (invalid > 0 && best.replicas < specReplicas)) {
    const e = firstInvalid ?? new MetricError('FailedGetResourceMetric', 'no metric could be computed');
    set('ScalingActive', 'False', e.reason, e.message);
    return { error: e.message };
  }
  set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`);
  return { replicas: best.replicas, metric: best.name, statuses: statuses.filter((s) => s.type !== '') };
}

/** Creates the HorizontalPodAutoscaler controller. Register it with a {@link ControllerManager}. */
export function horizontalPodAutoscalerController(options: HpaControllerOptions): Controller {
  const kind = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' } as const;
  const syncMs = options.syncPeriodMs ?? HPA_SYNC_PERIOD_MS;
  const histories = new Map<string, HpaHistory>();
  /** Per HPA: when it was last synced and at which generation (its own status writes wake it too). */
  const lastSync = new Map<string, { atMs: number; generation: number }>();

  async function writeStatus(
    ctx: ReconcileContext,
    stored: KubeObject,
    hpa: HorizontalPodAutoscaler,
    status: autoscaling.HorizontalPodAutoscalerStatus,
  ) {
    if (jsonEqual(stored.status ?? {}, status)) return;
    await ctx.client(kind.apiVersion, kind.kind, hpa.metadata.namespace).updateStatus({ ...stored, status });
  }

  return {
    name: COMPONENT,
    for: kind,
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const key = `${req.namespace ?? ''}/${req.name}`;
      const stored = await ctx.cache.get(kind.apiVersion, kind.kind, req.namespace, req.name);
      if (!stored || stored.metadata.deletionTimestamp) {
        histories.delete(key);
        lastSync.delete(key);
        return;
      }
      // As Kubernetes' fixed-interval HPA queue: each HPA syncs once per period (a spec change at once).
      const generation = stored.metadata.generation ?? 0;
      const last = lastSync.get(key);
      const sinceMs = last ? ctx.clock.nowMs() - last.atMs : Number.POSITIVE_INFINITY;
      if (last && last.generation === generation && sinceMs < syncMs) return { requeueAfterMs: syncMs - sinceMs };
      lastSync.set(key, { atMs: ctx.clock.nowMs(), generation });
      const hpa = stored as HorizontalPodAutoscaler;
      const history = histories.get(key) ?? newHistory();
      histories.set(key, history);
      const nowMs = ctx.clock.nowMs();
      const now = rfc3339(ctx.clock.now());
      let conditions: Conditions = [...(hpa.status?.conditions ?? [])];
      const set = (type: string, status: string, reason: string, message: string) => {
        conditions = setCondition(conditions, { type, status, reason, message, lastTransitionTime: now }, { now });
      };
      const spec = hpa.spec;
      const ref = spec?.scaleTargetRef;
      const base = {
        ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
        observedGeneration: hpa.metadata.generation ?? 0,
      };
      let scale: Scale;
      try {
        if (!ref) throw new Error('scaleTargetRef is required');
        scale = await ctx.client(ref.apiVersion ?? 'apps/v1', ref.kind, hpa.metadata.namespace).getScale(ref.name);
      } catch (err) {
        const why = `the HPA controller was unable to get the target's current scale: ${(err as Error).message}`;
        set('AbleToScale', 'False', 'FailedGetScale', why);
        await ctx.events.record(hpa, 'Warning', 'FailedGetScale', (err as Error).message, COMPONENT);
        await writeStatus(ctx, stored, hpa, {
          ...base,
          currentReplicas: hpa.status?.currentReplicas ?? 0,
          desiredReplicas: hpa.status?.desiredReplicas ?? 0,
          ...(hpa.status?.currentMetrics ? { currentMetrics: hpa.status.currentMetrics } : {}),
          conditions,
        });
        return { requeueAfterMs: syncMs };
      }
      set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
      const current = scale.spec?.replicas ?? 0;
      const min = spec?.minReplicas ?? 1;
      const max = spec?.maxReplicas ?? current;
      let desired = 0;
      let reason = '';
      let rescale: boolean;
      let statuses = hpa.status?.currentMetrics ?? [];
      if (current === 0 && min !== 0) {
        rescale = false;
        set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
      } else if (current > max) {
        reason = 'Current number of replicas above Spec.MaxReplicas';
        desired = max;
        rescale = true;
      } else if (current < min) {
        reason = 'Current number of replicas below Spec.MinReplicas';
        desired = min;
        rescale = true;
      } else {
        const r = await replicasForMetrics(ctx, hpa, scale, options.metrics, set, options.tolerance);
        if ('error' in r) {
          await ctx.events.record(
            hpa,
            'Warning',
            'FailedComputeMetricsReplicas',
            `invalid metrics (${(spec?.metrics ?? []).length} invalid out of ${(spec?.metrics ?? []).length}), first error is: ${r.error}`,
            COMPONENT,
          );
          await writeStatus(ctx, stored, hpa, {
            ...base,
            currentReplicas: current,
            desiredReplicas: hpa.status?.desiredReplicas ?? 0,
            conditions,
          });
          return { requeueAfterMs: syncMs };
        }
        statuses = r.statuses;
        desired = r.replicas;
        reason = desired > current ? `${r.metric} above target` : 'All metrics below target';
        const n = spec?.behavior
          ? normalizeWithBehavior(history, spec.behavior, current, desired, min, max, nowMs)
          : normalize(history, current, desired, min, max, nowMs);
        set('AbleToScale', 'True', n.ableToScale.reason, n.ableToScale.message);
        set('ScalingLimited', n.scalingLimited.status, n.scalingLimited.reason, n.scalingLimited.message);
        desired = n.replicas;
        rescale = desired !== current;
      }
      let lastScaleTime = base.lastScaleTime;
      if (rescale && ref) {
        try {
          await ctx
            .client(ref.apiVersion ?? 'apps/v1', ref.kind, hpa.metadata.namespace)
            .updateScale(ref.name, { spec: { replicas: desired } });
        } catch (err) {
          set(
            'AbleToScale',
            'False',
            'FailedUpdateScale',
            `the HPA controller was unable to update the target scale: ${(err as Error).message}`,
          );
          await ctx.events.record(
            hpa,
            'Warning',
            'FailedRescale',
            `New size: ${desired}; reason: ${reason}; error: ${(err as Error).message}`,
            COMPONENT,
          );
          await writeStatus(ctx, stored, hpa, {
            ...base,
            currentReplicas: current,
            desiredReplicas: hpa.status?.desiredReplicas ?? 0,
            currentMetrics: statuses,
            conditions,
          });
          if (TugboatError.is(err, 'Conflict')) return { requeueAfterMs: 0 };
          return { requeueAfterMs: syncMs };
        }
        set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
        await ctx.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, COMPONENT);
        recordScaleEvent(history, spec?.behavior, current, desired, nowMs);
        lastScaleTime = now;
      } else {
        desired = current;
      }
      await writeStatus(ctx, stored, hpa, {
        ...base,
        ...(lastScaleTime ? { lastScaleTime } : {}),
        currentReplicas: current,
        desiredReplicas: desired,
        ...(statuses.length ? { currentMetrics: statuses } : {}),
        conditions,
      });
      return { requeueAfterMs: syncMs };
    },
  };
}
