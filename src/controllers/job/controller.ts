/**
 * The Job controller: runs a Job's pods to completion (completions, parallelism, Indexed mode),
 * retries failures with back-off up to backoffLimit, enforces activeDeadlineSeconds and the
 * podFailurePolicy, suspends and resumes, tracks every pod with a finalizer until it is counted,
 * and deletes finished Jobs after ttlSecondsAfterFinished, as Kubernetes' job and
 * ttl-after-finished controllers do. Decisions are the pure `planSync` and `planTracking`.
 */
import type { batch, Job, KubeObject, Pod } from '../../model/types.js';
import { ownedPodsWatch, ownerKey as keyOf } from '../util/owned-pods.js';
import { TugboatError } from '../../model/errors.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { claimObjects } from '../util/claim-objects.js';
import { controllerOf, controllerRef } from '../util/controller-ref.js';
import { Expectations, EXPECTATIONS_TTL_MS } from '../replicaset/expectations.js';
import { slowStartBatch } from '../replicaset/slow-start.js';
import type { BackoffRecord } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { hasTrackingFinalizer, JOB, JOB_COMPONENT, JOB_NAME_LABEL, jobSelector, JOB_TRACKING_FINALIZER } from './names.js';
import { podForJob } from './pod-template.js';
import type { IndexFailureCounts } from './per-index.js';
import { planSync, type SyncPlan } from './sync-plan.js';
import { countUncounted, enactFinished, planTracking, statusChanged } from './tracking.js';
import { ttlExpiryMs } from './ttl.js';

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const REMOVE_FINALIZER = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

/** Options of {@link jobController}. */
export interface JobControllerOptions {
  /** How long unmet creation/deletion expectations block a Job. @default 300_000 */
  expectationsTtlMs?: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates the Job controller. Register it with a {@link ControllerManager}. */
export function jobController(options: JobControllerOptions = {}): Controller {
  const expectations = new Expectations(options.expectationsTtlMs ?? EXPECTATIONS_TTL_MS);
  /** Per Job: UIDs of pods whose finalizer removal was issued and not yet observed. */
  const removals = new Map<string, Set<string>>();
  /** Per Job: the back-off record (kept in memory, as Kubernetes keeps it). */
  const backoffs = new Map<string, BackoffRecord>();

  const forget = (key: string) => {
    expectations.delete(key);
    removals.delete(key);
    backoffs.delete(key);
  };

  async function removeFinalizer(ctx: ReconcileContext, pod: Pod): Promise<void> {
    try {
      await ctx.client<Pod>('v1', 'Pod', pod.metadata.namespace).patch(pod.metadata.name ?? '', REMOVE_FINALIZER, 'strategic');
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    }
  }

  /** Removes the tracking finalizer from pods that name this Job's name but not this Job (or no Job). */
  async function releaseStrays(
    ctx: ReconcileContext,
    ns: string | undefined,
    name: string,
    uid: string | undefined,
    finished: boolean,
  ): Promise<void> {
    // Pods of a Job carry its name as a label; a stray of an earlier Job of this name does too.
    const pods = await ctx.cache.list<Pod>(POD.apiVersion, POD.kind, {
      namespace: ns,
      labelSelector: { matchLabels: { [JOB_NAME_LABEL]: name } },
    });
    for (const p of pods) {
      const ref = controllerOf(p);
      if (!ref || ref.kind !== JOB.kind || ref.name !== name || !hasTrackingFinalizer(p)) continue;
      if (ref.uid === uid && !finished) continue;
      await removeFinalizer(ctx, p);
    }
  }

  async function writeStatus(ctx: ReconcileContext, job: Job, status: batch.JobStatus): Promise<Job> {
    return ctx.client<Job>(JOB.apiVersion, JOB.kind, job.metadata.namespace).updateStatus({ ...job, status });
  }

  /** Deletes pods; returns how many deletions failed and the first error. */
  async function deletePods(
    ctx: ReconcileContext,
    job: Job,
    key: string,
    victims: readonly Pod[],
    dropFinalizer: boolean,
  ): Promise<{ failed: number; error?: unknown }> {
    const pc = ctx.client<Pod>('v1', 'Pod', job.metadata.namespace);
    let failed = 0;
    let error: unknown;
    await Promise.all(
      victims.map(async (p) => {
        try {
          if (dropFinalizer && hasTrackingFinalizer(p)) await removeFinalizer(ctx, p);
          await pc.delete(p.metadata.name ?? '');
          await ctx.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, JOB_COMPONENT);
        } catch (err) {
          if (dropFinalizer) expectations.deletionObserved(key, p.metadata.name ?? '');
          if (TugboatError.is(err, 'NotFound')) return;
          failed++;
          error ??= err;
        }
      }),
    );
    return { failed, error };
  }

  /** Creates the planned pods in slow-start batches; returns how many were not created and the first error. */
  async function createPods(
    ctx: ReconcileContext,
    job: Job,
    key: string,
    indexes: readonly (number | undefined)[],
    counts?: ReadonlyMap<number, IndexFailureCounts>,
  ): Promise<{ failed: number; error?: unknown }> {
    if (indexes.length === 0) return { failed: 0 };
    const pc = ctx.client<Pod>('v1', 'Pod', job.metadata.namespace);
    expectations.expectCreations(key, indexes.length, ctx.clock.nowMs());
    const res = await slowStartBatch(indexes.length, 1, async (i) => {
      const ix = indexes[i];
      const pod = await pc.create(podForJob(job, ix, ix === undefined ? undefined : counts?.get(ix)));
      await ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, JOB_COMPONENT);
    });
    const failed = indexes.length - res.successes;
    if (failed > 0) expectations.lowerCreations(key, failed);
    if (res.error !== undefined)
      await ctx.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${message(res.error)}`, JOB_COMPONENT);
    return { failed, error: res.error };
  }

  /** Carries out a plan's deletions and creations, correcting the counts for what failed. */
  async function act(ctx: ReconcileContext, job: Job, key: string, plan: SyncPlan): Promise<unknown> {
    const status = plan.status;
    const fin = await deletePods(ctx, job, key, plan.deleteFinished, false);
    if (fin.failed > 0) plan.finished = undefined;
    if (plan.deleteExcess.length > 0)
      expectations.expectDeletions(
        key,
        plan.deleteExcess.map((p) => p.metadata.name ?? ''),
        ctx.clock.nowMs(),
      );
    const ex = await deletePods(ctx, job, key, plan.deleteExcess, true);
    const cr = await createPods(ctx, job, key, plan.create, plan.indexFailureCounts);
    status.active = (status.active ?? 0) + fin.failed + ex.failed - cr.failed;
    status.terminating = (status.terminating ?? 0) - fin.failed - ex.failed;
    return fin.error ?? ex.error ?? cr.error;
  }

  /** Tracks finished pods: uncounted UIDs first, then finalizer removal, then counters and the finishing condition. */
  async function track(ctx: ReconcileContext, job: Job, key: string, pods: readonly Pod[], plan: SyncPlan): Promise<Job> {
    const expected = removals.get(key) ?? new Set<string>();
    const t = planTracking(job, pods, plan, expected);
    let current = job;
    if (statusChanged(job.status, t.status)) {
      current = await writeStatus(ctx, job, t.status);
      backoffs.set(key, plan.backoff);
    }
    let firstError: unknown;
    if (t.removeFinalizer.length > 0) {
      removals.set(key, expected);
      await Promise.all(
        t.removeFinalizer.map(async (p) => {
          const uid = p.metadata.uid ?? '';
          expected.add(uid);
          try {
            await removeFinalizer(ctx, p);
            t.withFinalizer.delete(uid);
          } catch (err) {
            expected.delete(uid);
            firstError ??= err;
          }
        }),
      );
    }
    const counted = countUncounted(current.status ?? {}, t.withFinalizer);
    const done = t.complete && firstError === undefined ? enactFinished(counted, t.finished, ctx.clock.nowMs()) : undefined;
    const next = done ?? counted;
    if (statusChanged(current.status, next)) current = await writeStatus(ctx, current, next);
    if (done && t.finished) {
      if (t.finished.type === 'Complete') {
        const completions = job.spec?.completions;
        if (completions != null && (next.succeeded ?? 0) > completions) {
          await ctx.events.record(
            job,
            'Warning',
            'TooManySucceededPods',
            'Too many succeeded pods running after completion count reached',
            JOB_COMPONENT,
          );
        }
        await ctx.events.record(job, 'Normal', 'Completed', 'Job completed', JOB_COMPONENT);
      } else {
        await ctx.events.record(job, 'Warning', t.finished.reason ?? 'Failed', t.finished.message ?? '', JOB_COMPONENT);
      }
    }
    if (firstError !== undefined) throw firstError;
    return current;
  }

  /** A finished Job: strays released, deleted when its TTL has passed. */
  async function finishedJob(ctx: ReconcileContext, job: Job, key: string): Promise<ReconcileResult | void> {
    backoffs.delete(key);
    await releaseStrays(ctx, job.metadata.namespace, job.metadata.name ?? '', job.metadata.uid, true);
    const expiry = ttlExpiryMs(job);
    if (expiry === undefined) return;
    const now = ctx.clock.nowMs();
    if (now < expiry) return { requeueAfterMs: expiry - now };
    try {
      await ctx.client<Job>(JOB.apiVersion, JOB.kind, job.metadata.namespace).delete(job.metadata.name ?? '', {
        propagationPolicy: 'Foreground',
        preconditions: { uid: job.metadata.uid },
      });
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
    }
  }

  return {
    name: JOB_COMPONENT,
    for: JOB,
    watches: [
      ownedPodsWatch<Job>({
        owner: JOB,
        expectations,
        adopts: (job, pod) => labelSelectorAsSelector(jobSelector(job)).matches(pod.metadata.labels),
        observed: (key, pod, change) => {
          if (change === 'DELETED' || !hasTrackingFinalizer(pod)) removals.get(key)?.delete(pod.metadata.uid ?? '');
        },
      }),
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const key = keyOf(req.namespace, req.name);
      let job: Job | undefined;
      try {
        // A quorum read: the counters must never be computed from a stale status.
        job = await ctx.client<Job>(JOB.apiVersion, JOB.kind, req.namespace).get(req.name);
      } catch (err) {
        if (!TugboatError.is(err, 'NotFound')) throw err;
      }
      if (!job) {
        forget(key);
        await releaseStrays(ctx, req.namespace, req.name, undefined, true);
        return;
      }
      if (isJobFinished(job)) return finishedJob(ctx, job, key);
      await releaseStrays(ctx, job.metadata.namespace, req.name, job.metadata.uid, false);
      const mode = job.spec?.completionMode;
      if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
        await ctx.events.record(
          job,
          'Warning',
          'UnknownCompletionMode',
          'Skipped Job sync because completion mode is unknown',
          JOB_COMPONENT,
        );
        return;
      }
      const nowMs = ctx.clock.nowMs();
      const expectationsSatisfied = expectations.satisfied(key, nowMs);
      const pods = await claimObjects<Pod>(ctx, POD, {
        uid: job.metadata.uid ?? '',
        namespace: job.metadata.namespace,
        deleting: !!job.metadata.deletionTimestamp,
        selector: jobSelector(job),
        ownerRef: controllerRef(job),
      });
      const plan = planSync({
        job,
        pods,
        nowMs,
        backoff: backoffs.get(key) ?? { failuresAfterLastSuccess: 0 },
        expectationsSatisfied,
        expectedRemovals: removals.get(key) ?? new Set(),
      });
      const actError = await act(ctx, job, key, plan);
      for (const e of plan.events) await ctx.events.record(job, e.type, e.reason, e.message, JOB_COMPONENT);
      const after = await track(ctx, job, key, pods, plan);
      if (actError !== undefined) throw actError;
      if (isJobFinished(after)) {
        const expiry = ttlExpiryMs(after);
        if (expiry !== undefined) return { requeueAfterMs: Math.max(0, expiry - ctx.clock.nowMs()) };
        return;
      }
      return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined;
    },
  };
}
