/**
 * The disruption controller's second loop (syncStalePodDisruption): a pod marked
 * DisruptionTarget=True (by an eviction or a preemption) that is still not being deleted two
 * minutes later gets the condition set back to False, so it does not stay marked forever when
 * the deletion never came. Only such pods are queued; the rest of the pod stream is ignored.
 */
import type { Pod } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { getCondition, setCondition } from '../../model/conditions.js';
import { DISRUPTION_TARGET } from '../../model/disruption.js';
import { kinds } from '../../client/kinds.js';
import type { Controller, ReconcileResult } from '../runtime/types.js';
import { timeMs } from '../util/time.js';

/** How long a DisruptionTarget condition may stand on a pod that is not being deleted (stalePodDisruptionTimeout). */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

/** Milliseconds until the pod's DisruptionTarget condition is stale, or undefined when it has none that can go stale. */
export function staleDisruptionAfterMs(pod: Pod, nowMs: number): number | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  const c = getCondition(pod.status?.conditions, DISRUPTION_TARGET);
  if (!c || c.status !== 'True' || c.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') return undefined;
  return Math.max(0, (timeMs(c.lastTransitionTime) ?? 0) + STALE_POD_DISRUPTION_TIMEOUT_MS - nowMs);
}

/** Creates the loop that resets stale DisruptionTarget conditions. Register it with a {@link ControllerManager}. */
export function staleDisruptionController(): Controller {
  return {
    name: 'disruption-stale-pod',
    async setup(s) {
      const offer = (pod: Pod) => {
        if (staleDisruptionAfterMs(pod, s.ctx.clock.nowMs()) !== undefined)
          s.enqueue({ namespace: pod.metadata.namespace, name: pod.metadata.name ?? '' });
      };
      await s.watch(kinds.Pod, { onAdd: offer, onUpdate: (_, pod) => offer(pod) });
    },
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const pod = await ctx.cache.get(kinds.Pod, req.namespace, req.name);
      if (!pod) return;
      const after = staleDisruptionAfterMs(pod, ctx.clock.nowMs());
      if (after === undefined) return;
      if (after > 0) return { requeueAfterMs: after };
      const now = rfc3339(ctx.clock.now());
      const conditions = setCondition(
        pod.status?.conditions,
        { type: DISRUPTION_TARGET, status: 'False', lastTransitionTime: now },
        { now },
      );
      try {
        await ctx.client(kinds.Pod, pod.metadata.namespace).updateStatus({ ...pod, status: { ...pod.status, conditions } });
      } catch (err) {
        if (!TugboatError.is(err, 'NotFound')) throw err;
      }
    },
  };
}
