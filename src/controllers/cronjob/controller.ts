/**
 * The CronJob controller (Kubernetes' cronjob controller v2): keeps `status.active` in step with
 * the Jobs it owns, starts a Job for each schedule time under the concurrency policy and the
 * starting deadline, trims finished Jobs to the history limits, and sleeps until the next
 * schedule time on the injected clock. Decisions are the pure `planSchedule` and
 * `jobsBeyondHistory`.
 */
import type { batch, core, CronJob, Job } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { jsonEqual } from '../../model/json.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { controllerOf } from '../util/controller-ref.js';
import { timeMs } from '../util/time.js';
import { finishedCondition, isJobFinished } from '../job/conditions.js';
import { jobsBeyondHistory } from './history.js';
import { jobForSchedule } from './job-template.js';
import { planSchedule } from './plan.js';
import { parseSchedule, type Schedule } from './schedule.js';

const CRONJOB = { apiVersion: 'batch/v1', kind: 'CronJob' } as const;
const JOB = { apiVersion: 'batch/v1', kind: 'Job' } as const;
const COMPONENT = 'cronjob-controller';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function jobRef(j: Job): core.ObjectReference {
  return {
    apiVersion: JOB.apiVersion,
    kind: JOB.kind,
    namespace: j.metadata.namespace,
    name: j.metadata.name,
    uid: j.metadata.uid,
    resourceVersion: j.metadata.resourceVersion,
  };
}

/** Creates the CronJob controller. Register it with a {@link ControllerManager} together with the Job controller. */
export function cronJobController(): Controller {
  /** Parsed schedules by CronJob uid, reparsed when schedule or zone change. */
  const parsed = new Map<string, { key: string; schedule: Schedule }>();

  function scheduleOf(cj: CronJob): Schedule {
    const key = `${cj.spec?.schedule ?? ''}\u0000${cj.spec?.timeZone ?? ''}`;
    const uid = cj.metadata.uid ?? '';
    const hit = parsed.get(uid);
    if (hit?.key === key) return hit.schedule;
    const schedule = parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone ?? undefined);
    parsed.set(uid, { key, schedule });
    return schedule;
  }

  const record = (ctx: ReconcileContext, cj: CronJob, type: 'Normal' | 'Warning', reason: string, msg: string) =>
    ctx.events.record(cj, type, reason, msg, COMPONENT);

  /** Kubernetes' active-list step: finished Jobs leave it (lastSuccessfulTime moves), vanished ones too. */
  async function syncActive(ctx: ReconcileContext, cj: CronJob, jobs: readonly Job[], status: batch.CronJobStatus): Promise<void> {
    const active = [...(status.active ?? [])];
    const has = (uid: string | undefined) => active.some((r) => r.uid === uid);
    for (const j of jobs) {
      const finished = isJobFinished(j);
      if (!has(j.metadata.uid) && !finished) {
        await record(ctx, cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (has(j.metadata.uid) && finished) {
        active.splice(
          active.findIndex((r) => r.uid === j.metadata.uid),
          1,
        );
        await record(
          ctx,
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata.name}, condition: ${finishedCondition(j)?.type}`,
        );
      }
      const done = timeMs(j.status?.completionTime);
      if (finished && done !== undefined && (status.lastSuccessfulTime == null || done > (timeMs(status.lastSuccessfulTime) ?? 0))) {
        status.lastSuccessfulTime = j.status?.completionTime;
      }
    }
    const owned = new Set(jobs.map((j) => j.metadata.uid));
    for (const ref of [...active]) {
      if (owned.has(ref.uid)) continue;
      try {
        await ctx.client<Job>(JOB.apiVersion, JOB.kind, cj.metadata.namespace).get(ref.name ?? '');
      } catch (err) {
        if (!TugboatError.is(err, 'NotFound')) throw err;
        await record(ctx, cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        active.splice(active.indexOf(ref), 1);
      }
    }
    status.active = active;
  }

  async function deleteJob(ctx: ReconcileContext, cj: CronJob, name: string, uid: string | undefined): Promise<void> {
    try {
      await ctx
        .client<Job>(JOB.apiVersion, JOB.kind, cj.metadata.namespace)
        .delete(name, { propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) });
      await record(ctx, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    }
  }

  /** The schedule step; returns the requeue delay. */
  async function schedule(ctx: ReconcileContext, cj: CronJob, status: batch.CronJobStatus, nowMs: number): Promise<number | undefined> {
    let sched: Schedule;
    try {
      sched = scheduleOf(cj);
    } catch (err) {
      await record(
        ctx,
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${message(err)}`,
      );
      return undefined;
    }
    const plan = planSchedule(
      cj,
      sched,
      nowMs,
      (status.active ?? []).map((r) => r.name ?? ''),
    );
    if (plan.tooManyMissed !== undefined) {
      await record(
        ctx,
        cj,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${plan.tooManyMissed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      );
    }
    const a = plan.action;
    if (a.kind === 'too-late') {
      await record(ctx, cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(a.scheduledMs)}`);
    } else if (a.kind === 'forbidden') {
      await record(
        ctx,
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
    } else if (a.kind === 'start') {
      if (a.replace) {
        for (const ref of [...(status.active ?? [])]) {
          await deleteJob(ctx, cj, ref.name ?? '', ref.uid);
          status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
        }
      }
      const jc = ctx.client<Job>(JOB.apiVersion, JOB.kind, cj.metadata.namespace);
      let created: Job | undefined;
      try {
        created = await jc.create(jobForSchedule(cj, a.scheduledMs));
        await record(ctx, cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
      } catch (err) {
        if (!TugboatError.is(err, 'AlreadyExists')) {
          await record(ctx, cj, 'Warning', 'FailedCreate', `Error creating job: ${message(err)}`);
          throw err;
        }
        const existing = await jc.get(a.jobName);
        if (controllerOf(existing)?.uid !== cj.metadata.uid) throw err;
        created = existing;
      }
      if (!isJobFinished(created) && !(status.active ?? []).some((r) => r.uid === created!.metadata.uid))
        status.active = [...(status.active ?? []), jobRef(created)];
      status.lastScheduleTime = rfc3339(a.scheduledMs);
    }
    return plan.requeueAfterMs;
  }

  return {
    name: COMPONENT,
    for: CRONJOB,
    owns: [JOB],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const cj = await ctx.cache.get<CronJob>(CRONJOB.apiVersion, CRONJOB.kind, req.namespace, req.name);
      if (!cj) return;
      const jobs = (await ctx.cache.ownedBy<Job>(JOB.apiVersion, JOB.kind, cj.metadata.uid ?? '')).filter(
        (j) => controllerOf(j)?.uid === cj.metadata.uid,
      );
      const status: batch.CronJobStatus = { ...(cj.status ?? {}) };
      await syncActive(ctx, cj, jobs, status);
      let requeueAfterMs: number | undefined;
      if (!cj.metadata.deletionTimestamp && !cj.spec?.suspend) requeueAfterMs = await schedule(ctx, cj, status, ctx.clock.nowMs());
      if (!jsonEqual(normalize(cj.status), normalize(status))) {
        await ctx.client<CronJob>(CRONJOB.apiVersion, CRONJOB.kind, cj.metadata.namespace).updateStatus({ ...cj, status });
      }
      if (!cj.metadata.deletionTimestamp) {
        const beyond = jobsBeyondHistory(
          jobs,
          cj.spec?.successfulJobsHistoryLimit ?? undefined,
          cj.spec?.failedJobsHistoryLimit ?? undefined,
        );
        for (const j of beyond) await deleteJob(ctx, cj, j.metadata.name ?? '', j.metadata.uid);
      }
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
    },
  };
}

function normalize(s: batch.CronJobStatus | undefined): batch.CronJobStatus {
  return { ...(s ?? {}), active: s?.active ?? [] };
}
