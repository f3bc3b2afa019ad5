/**
 * The StatefulSet controller: pods with stable names and ordinals (`web-0`..`web-N-1`), created
 * in order and each Running and Ready before the next (OrderedReady) or all at once (Parallel),
 * removed in reverse order, with hostname and subdomain from serviceName, one
 * PersistentVolumeClaim per claim template and ordinal kept or deleted per the retention policy,
 * RollingUpdate (partition, maxUnavailable) and OnDelete updates, ControllerRevision history and
 * the status counters, as Kubernetes' pkg/controller/statefulset. Decisions are the pure
 * `planSync`, `planUpdateRevision` and `nextStatus`; this file reads, acts and writes.
 */
import type { ControllerRevision, KubeObject, PersistentVolumeClaim, Pod, StatefulSet } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { claimObjects } from '../util/claim-objects.js';
import { hashControllerRevision, controllerRevisionName, sortRevisions, templateOfRevision } from '../util/controller-revision.js';
import { ownedPodsWatch } from '../util/owned-pods.js';
import { desiredClaimOwners } from './claims.js';
import { identityLabels } from './identity.js';
import { CONTROLLER_REVISION, isMemberOf, POD, PVC, STATEFULSET, STATEFULSET_COMPONENT, statefulSetOwnerRef } from './names.js';
import { planSync, type SetAction } from './plan.js';
import { currentRevisionOf, planUpdateRevision, revisionsToTruncate } from './revisions.js';
import { nextAvailableInMs, nextStatus, statusChanged } from './status.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ignoreNotFound(err: unknown): void {
  if (!TugboatError.is(err, 'NotFound')) throw err;
}

const NO_EXPECTATIONS = { creationObserved() {}, deletionObserved() {} };

/** Creates the StatefulSet controller. Register it with a {@link ControllerManager}. */
export function statefulSetController(): Controller {
  async function event(ctx: ReconcileContext, set: StatefulSet, type: 'Normal' | 'Warning', reason: string, msg: string): Promise<void> {
    await ctx.events.record(set, type, reason, msg, STATEFULSET_COMPONENT);
  }

  /** Creates the revision, raising the collision count while its name is taken by other data (CreateControllerRevision). */
  async function createRevision(
    ctx: ReconcileContext,
    set: StatefulSet,
    cr: ControllerRevision,
  ): Promise<{ cr: ControllerRevision; collisionCount: number }> {
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, set.metadata.namespace);
    let collisionCount = set.status?.collisionCount ?? 0;
    for (let attempt = 0; attempt < 100; attempt++) {
      const hash = hashControllerRevision(cr, collisionCount);
      const named: ControllerRevision = {
        ...cr,
        metadata: {
          ...cr.metadata,
          name: controllerRevisionName(set.metadata.name ?? '', hash),
          labels: { ...cr.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
        },
      };
      try {
        return { cr: await crc.create(named), collisionCount };
      } catch (err) {
        if (!TugboatError.is(err, 'AlreadyExists')) throw err;
        const existing = await crc.get(named.metadata.name ?? '');
        if (JSON.stringify(existing.data) === JSON.stringify(named.data)) return { cr: existing, collisionCount };
        collisionCount++;
      }
    }
    throw new Error(`StatefulSet ${set.metadata.name}: no free ControllerRevision name after 100 collisions`);
  }

  /** The current and update revisions (getStatefulSetRevisions), and the collision count. */
  async function revisionsOf(ctx: ReconcileContext, set: StatefulSet, revisions: ControllerRevision[]) {
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, set.metadata.namespace);
    const plan = planUpdateRevision(set, revisions);
    let update: ControllerRevision;
    let collisionCount = set.status?.collisionCount ?? 0;
    if (plan.action === 'keep') update = plan.revision;
    else if (plan.action === 'renumber') update = await crc.update({ ...plan.revision, revision: plan.to });
    else {
      const made = await createRevision(ctx, set, plan.revision);
      update = made.cr;
      collisionCount = made.collisionCount;
      revisions = [...revisions, update];
    }
    return { update, current: currentRevisionOf(set, revisions, update), collisionCount, revisions };
  }

  async function createClaims(ctx: ReconcileContext, set: StatefulSet, pod: Pod, claims: readonly PersistentVolumeClaim[]): Promise<void> {
    const pvcs = ctx.client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, set.metadata.namespace);
    for (const claim of claims) {
      const existing = await pvcs.find(claim.metadata.name ?? '');
      if (existing) {
        if (existing.metadata.deletionTimestamp) throw new Error(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      const owned = { ...claim, metadata: { ...claim.metadata, ownerReferences: desiredClaimOwners(claim, set, pod) } };
      if (owned.metadata.ownerReferences.length === 0) delete (owned.metadata as { ownerReferences?: unknown }).ownerReferences;
      try {
        await pvcs.create(owned);
        await event(
          ctx,
          set,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
        );
      } catch (err) {
        if (TugboatError.is(err, 'AlreadyExists')) continue;
        await event(
          ctx,
          set,
          'Warning',
          'FailedCreate',
          `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message(err)}`,
        );
        throw err;
      }
    }
  }

  async function act(ctx: ReconcileContext, set: StatefulSet, a: SetAction): Promise<void> {
    const pods = ctx.client<Pod>(POD.apiVersion, POD.kind, set.metadata.namespace);
    const what = `Pod ${a.type === 'fixClaimOwners' ? '' : a.pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    switch (a.type) {
      case 'createPod':
        await createClaims(ctx, set, a.pod, a.claims);
        try {
          await pods.create(a.pod);
        } catch (err) {
          if (TugboatError.is(err, 'AlreadyExists')) return; // the cache lags: it exists
          await event(ctx, set, 'Warning', 'FailedCreate', `create ${what} failed error: ${message(err)}`);
          throw err;
        }
        await event(ctx, set, 'Normal', 'SuccessfulCreate', `create ${what} successful`);
        return;
      case 'createClaims':
        return createClaims(ctx, set, a.pod, a.claims);
      case 'deletePod':
        try {
          await pods.delete(a.pod.metadata.name ?? '', { preconditions: { uid: a.pod.metadata.uid } });
        } catch (err) {
          if (TugboatError.is(err, 'NotFound') || TugboatError.is(err, 'Conflict')) return;
          await event(ctx, set, 'Warning', 'FailedDelete', `delete ${what} failed error: ${message(err)}`);
          throw err;
        }
        await event(ctx, set, 'Normal', 'SuccessfulDelete', `delete ${what} successful`);
        return;
      case 'fixIdentity':
        await pods.patch(a.pod.metadata.name ?? '', { metadata: { labels: identityLabels(a.pod) } }, 'merge').catch(ignoreNotFound);
        return;
      case 'fixClaimOwners':
        await ctx
          .client<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, set.metadata.namespace)
          .patch(a.claim.metadata.name ?? '', { metadata: { ownerReferences: a.owners } }, 'merge')
          .catch(ignoreNotFound);
        return;
    }
  }

  async function writeStatus(ctx: ReconcileContext, set: StatefulSet, status: NonNullable<StatefulSet['status']>): Promise<void> {
    if (!statusChanged(set, status)) return;
    const sc = ctx.client<StatefulSet>(STATEFULSET.apiVersion, STATEFULSET.kind, set.metadata.namespace);
    try {
      await sc.updateStatus({ ...set, status });
    } catch (err) {
      if (!TugboatError.is(err, 'Conflict')) throw err;
      const fresh = await sc.get(set.metadata.name ?? '');
      await sc.updateStatus({
        ...fresh,
        status: { ...status, observedGeneration: Math.min(status.observedGeneration ?? 0, fresh.metadata.generation ?? 0) },
      });
    }
  }

  async function sync(ctx: ReconcileContext, set: StatefulSet): Promise<ReconcileResult | void> {
    const owner = {
      uid: set.metadata.uid ?? '',
      namespace: set.metadata.namespace,
      selector: set.spec?.selector,
      ownerRef: statefulSetOwnerRef(set),
      deleting: !!set.metadata.deletionTimestamp,
    };
    const pods = await claimObjects<Pod>(ctx, POD, owner, (p) => isMemberOf(set, p));
    const claimed = await claimObjects<ControllerRevision>(ctx, CONTROLLER_REVISION, owner);
    const { update, current, collisionCount, revisions } = await revisionsOf(ctx, set, sortRevisions(claimed));
    const claims = new Map<string, PersistentVolumeClaim>();
    if ((set.spec?.volumeClaimTemplates ?? []).length > 0)
      for (const c of await ctx.cache.list<PersistentVolumeClaim>(PVC.apiVersion, PVC.kind, { namespace: set.metadata.namespace }))
        claims.set(c.metadata.name ?? '', c);
    const nowMs = ctx.clock.nowMs();
    const plan = planSync({
      set,
      pods,
      currentRevision: current.metadata.name ?? '',
      updateRevision: update.metadata.name ?? '',
      currentTemplate: templateOfRevision(current),
      claims,
      nowMs,
    });
    let error: unknown;
    for (const phase of plan.phases) {
      if (plan.monotonic) {
        for (const a of phase) {
          try {
            await act(ctx, set, a);
          } catch (err) {
            error = err;
            break;
          }
        }
      } else {
        const results = await Promise.allSettled(phase.map((a) => act(ctx, set, a)));
        error = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
      }
      if (error !== undefined) break;
    }
    await writeStatus(ctx, set, nextStatus(set, plan.counts, current.metadata.name ?? '', update.metadata.name ?? '', collisionCount));
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, set.metadata.namespace);
    for (const cr of revisionsToTruncate(set, revisions, pods, [current.metadata.name, update.metadata.name]))
      await crc.delete(cr.metadata.name ?? '').catch(ignoreNotFound);
    if (error !== undefined) throw error;
    const wait = nextAvailableInMs(pods, set.spec?.minReadySeconds ?? 0, nowMs);
    return wait !== undefined ? { requeueAfterMs: wait } : undefined;
  }

  return {
    name: STATEFULSET_COMPONENT,
    for: STATEFULSET,
    owns: [CONTROLLER_REVISION],
    watches: [
      ownedPodsWatch<StatefulSet>({
        owner: STATEFULSET,
        expectations: NO_EXPECTATIONS,
        adopts: (set, pod) => isMemberOf(set, pod) && labelSelectorAsSelector(set.spec?.selector).matches(pod.metadata.labels),
      }),
      {
        ...PVC,
        async map(obj: KubeObject, cache) {
          // A claim that goes (or changes owners) may unblock the set whose pod waits on it.
          const ns = obj.metadata.namespace;
          const name = obj.metadata.name ?? '';
          const sets = await cache.list<StatefulSet>(STATEFULSET.apiVersion, STATEFULSET.kind, { namespace: ns });
          return sets
            .filter((s) => (s.spec?.volumeClaimTemplates ?? []).some((t) => name.startsWith(`${t.metadata?.name}-${s.metadata.name}-`)))
            .map((s) => ({ namespace: ns, name: s.metadata.name ?? '' }));
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      let set: StatefulSet | undefined;
      try {
        // A quorum read: the status is written against the stored object.
        set = await ctx.client<StatefulSet>(STATEFULSET.apiVersion, STATEFULSET.kind, req.namespace).get(req.name);
      } catch (err) {
        ignoreNotFound(err);
      }
      if (!set) return;
      return sync(ctx, set);
    },
  };
}
