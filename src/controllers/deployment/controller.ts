/**
 * The Deployment controller: rolls ReplicaSets forward (RollingUpdate or Recreate), keeps
 * revisions and history, scales proportionally, and reports progress, as Kubernetes does.
 */
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../model/types.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { claimObjects } from '../util/claim-objects.js';
import { controllerOf, controllerRef } from '../util/controller-ref.js';
import { isScalingEvent } from './planner.js';
import { rolloutRolling } from './rolling.js';
import { rolloutRecreate } from './recreate.js';
import { COMPONENT, DeploymentSync } from './sync.js';
import { calculateStatus } from './status.js';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/** The ReplicaSets a Deployment owns, adopting matching orphans and releasing non-matching ones. */
function claimReplicaSets(ctx: ReconcileContext, d: Deployment): Promise<ReplicaSet[]> {
  return claimObjects<ReplicaSet>(ctx, RS, {
    uid: d.metadata.uid ?? '',
    namespace: d.metadata.namespace,
    deleting: !!d.metadata.deletionTimestamp,
    selector: d.spec?.selector,
    ownerRef: controllerRef(d),
  });
}

/**
 * Creates the Deployment controller. Register it with a {@link ControllerManager} together with
 * {@link replicaSetController}. Scaling mid-rollout is proportional as in Kubernetes (sizes
 * from the max-replicas annotation, leftovers to the largest ReplicaSet).
 */
export function deploymentController(): Controller {
  return {
    name: COMPONENT,
    for: DEPLOYMENT,
    owns: [RS],
    watches: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        // Recreate waits for old pods to be gone: a pod leaving wakes its Deployment.
        async map(obj: KubeObject, cache, change) {
          const pod = obj as Pod;
          const terminal = pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
          if (change !== 'DELETED' && !terminal) return [];
          const ref = controllerOf(pod);
          if (!ref || ref.kind !== RS.kind) return [];
          const rs = await cache.get<ReplicaSet>(RS.apiVersion, RS.kind, pod.metadata.namespace, ref.name);
          const dref = rs && controllerOf(rs);
          if (!dref || dref.kind !== DEPLOYMENT.kind) return [];
          const d = await cache.get<Deployment>(DEPLOYMENT.apiVersion, DEPLOYMENT.kind, pod.metadata.namespace, dref.name);
          return d?.spec?.strategy?.type === 'Recreate' ? [{ namespace: pod.metadata.namespace, name: dref.name }] : [];
        },
      },
      {
        ...RS,
        // orphan ReplicaSets wake the Deployments whose selector matches them
        async map(obj: KubeObject, cache, change) {
          if (change === 'DELETED' || controllerOf(obj)) return [];
          const ds = await cache.list<Deployment>(DEPLOYMENT.apiVersion, DEPLOYMENT.kind, { namespace: obj.metadata.namespace });
          return ds
            .filter((d) => labelSelectorAsSelector(d.spec?.selector).matches(obj.metadata.labels))
            .map((d) => ({ namespace: obj.metadata.namespace, name: d.metadata.name ?? '' }));
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const d = await ctx.cache.get<Deployment>(DEPLOYMENT.apiVersion, DEPLOYMENT.kind, req.namespace, req.name);
      if (!d) return;
      const sets = await claimReplicaSets(ctx, d);
      const s = new DeploymentSync(ctx, d, sets);
      if (d.metadata.deletionTimestamp) {
        const { newRS, oldRSs } = await s.newAndOld(false);
        await s.writeStatus(calculateStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS, s.d, s.nowMs));
        return;
      }
      await s.checkPausedConditions();
      let after: number | undefined;
      if (s.d.spec?.paused || isScalingEvent(s.d, s.sets)) after = await s.syncScaling();
      else if (s.d.spec?.strategy?.type === 'Recreate') after = await rolloutRecreate(s);
      else after = await rolloutRolling(s);
      return after !== undefined ? { requeueAfterMs: after } : undefined;
    },
  };
}
