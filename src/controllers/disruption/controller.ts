/**
 * The disruption controller: keeps every PodDisruptionBudget's status (expectedPods,
 * desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods, observedGeneration and the
 * DisruptionAllowed condition) in step with the pods it covers, as Kubernetes'
 * pkg/controller/disruption. The eviction subresource reads that status to allow or refuse an
 * eviction. Decisions are the pure functions of `status.ts`; this file reads, acts and writes.
 */
import type { Pod, PodDisruptionBudget } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { budgetsForPod } from '../../model/disruption.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { kinds } from '../../client/kinds.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { expectedScale } from './controller-scale.js';
import { countHealthyPods, disruptedPodMap, expectedPodCount, failSafeStatus, nextStatus } from './status.js';

/** The component name of the disruption controller's Events. */
export const DISRUPTION_COMPONENT = 'controllermanager';
const PDB = kinds.PodDisruptionBudget;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function selectorText(pdb: PodDisruptionBudget): string {
  try {
    return labelSelectorAsSelector(pdb.spec?.selector).toString();
  } catch {
    return JSON.stringify(pdb.spec?.selector ?? null);
  }
}

async function podsFor(ctx: ReconcileContext, pdb: PodDisruptionBudget): Promise<Pod[]> {
  const selector = labelSelectorAsSelector(pdb.spec?.selector);
  return ctx.cache.list(kinds.Pod, { namespace: pdb.metadata.namespace, labelSelector: selector });
}

/** One sync (trySync): the status from the pods; returns when to look again, if ever. */
async function trySync(ctx: ReconcileContext, pdb: PodDisruptionBudget): Promise<number | undefined> {
  let pods: Pod[];
  try {
    pods = await podsFor(ctx, pdb);
  } catch (err) {
    await ctx.events.record(pdb, 'Warning', 'NoPods', `Failed to get pods: ${message(err)}`, DISRUPTION_COMPONENT);
    throw err;
  }
  if (pods.length === 0) await ctx.events.record(pdb, 'Normal', 'NoPods', 'No matching pods found', DISRUPTION_COMPONENT);
  let counts: Awaited<ReturnType<typeof expectedPodCount>>;
  try {
    counts = await expectedPodCount(pdb, pods, () => expectedScale(ctx, pods));
  } catch (err) {
    await ctx.events.record(
      pdb,
      'Warning',
      'CalculateExpectedPodCountFailed',
      `Failed to calculate the number of expected pods: ${message(err)}`,
      DISRUPTION_COMPONENT,
    );
    throw err;
  }
  if (counts.unmanagedPods.length > 0) {
    await ctx.events.record(
      pdb,
      'Warning',
      'UnmanagedPods',
      `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb)}) were found to be unmanaged. As a result, ` +
        'the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these ' +
        'pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      DISRUPTION_COMPONENT,
    );
  }
  const nowMs = ctx.clock.nowMs();
  const { disruptedPods, recheckAtMs, overdue } = disruptedPodMap(pdb, pods, nowMs);
  for (const pod of overdue) {
    await ctx.events.record(
      pod,
      'Warning',
      'NotDeleted',
      `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`,
      DISRUPTION_COMPONENT,
    );
  }
  const currentHealthy = countHealthyPods(pods, disruptedPods, nowMs);
  const status = nextStatus(
    pdb,
    { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount, disruptedPods },
    rfc3339(ctx.clock.now()),
  );
  if (status) await ctx.client(PDB, pdb.metadata.namespace).updateStatus({ ...pdb, status });
  return recheckAtMs === undefined ? undefined : Math.max(0, recheckAtMs - nowMs);
}

/** Creates the disruption controller. Register it with a {@link ControllerManager}. */
export function disruptionController(): Controller {
  return {
    name: 'disruption-controller',
    for: PDB,
    watches: [
      {
        ...kinds.Pod,
        async map(obj, cache) {
          const pod = obj as Pod;
          const pdbs = await cache.list(PDB, { namespace: pod.metadata.namespace });
          const covering = budgetsForPod(pdbs, pod);
          // As getPdbForPod: a pod wakes the first budget covering it.
          const first = covering[0];
          return first ? [{ namespace: first.metadata.namespace, name: first.metadata.name ?? '' }] : [];
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const pdb = await ctx.cache.get(PDB, req.namespace, req.name);
      if (!pdb) return;
      try {
        const recheck = await trySync(ctx, pdb);
        return recheck === undefined ? undefined : { requeueAfterMs: recheck };
      } catch (err) {
        // A conflict retries without the fail-safe; any other failure allows no disruption.
        if (TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'NotFound')) throw err;
        ctx.log.error({ err }, `failed to sync PodDisruptionBudget ${req.namespace}/${req.name}`);
        await ctx.client(PDB, pdb.metadata.namespace).updateStatus({
          ...pdb,
          status: failSafeStatus(pdb, message(err), rfc3339(ctx.clock.now())),
        });
      }
    },
  };
}
