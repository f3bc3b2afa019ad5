/**
 * CronJobs end to end on a FakeClock: Jobs named `<cronjob>-<Unix minutes>`, Allow, Forbid and
 * Replace, history limits, suspend, startingDeadlineSeconds, too many missed starts, and a
 * schedule in America/New_York across the spring-forward change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { cronJobController } from '../../../../src/controllers/cronjob/index.js';
import type { CronJob, Job } from '../../../../src/model/types.js';
import { advanceBy } from '../../../../src/testing.js';
import { startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
let bare: { cluster: Cluster; clock: FakeClock } | undefined;
afterEach(async () => {
  await m?.stop();
  await bare?.cluster.stop();
  m = bare = undefined;
});

function cronJob(name: string, schedule: string, spec: Partial<NonNullable<CronJob['spec']>> = {}, image = 'task:1'): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } } },
      ...spec,
    },
  };
}

/** A cluster with only the CronJob controller (no nodes, no Job controller), from `start`. */
async function startBare(start: string) {
  const clock = new FakeClock(new Date(start));
  // No node, no scheduler, no built-in controller: the CronJob controller alone (Jobs just pile up).
  const cluster = await Cluster.start({ clock, controllers: { builtins: false, rateLimiter: { qps: Infinity } }, scheduler: false });
  await cluster.controllers.register(cronJobController());
  bare = { cluster, clock };
  return bare;
}

const jobsOf = async (cluster: Cluster) => (await cluster.jobs('default').list()).items;
const minutes = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
const eventsOf = async (cluster: Cluster, name: string) =>
  (
    await cluster
      .client<Job & { involvedObject?: { name?: string }; reason?: string; type?: string; message?: string }>('v1', 'Event', 'default')
      .list()
  ).items.filter((e) => e.involvedObject?.name === name);
const activeJobs = (jobs: Job[]) =>
  jobs.filter((j) => !j.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'));

describe('CronJob', () => {
  it('Allow: a Job every 5 minutes named <cronjob>-<Unix minutes>, keeping the 3 newest successful', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 60_000 });
    await m.cluster.apply(cronJob('tick', '*/5 * * * *'));
    await m.advance(31 * 60_000, { stepMs: 10_000 });
    const jobs = await jobsOf(m.cluster);
    const names = jobs.map((j) => j.metadata.name).sort();
    // Runs at :05 ... :30; the history limit keeps the 3 newest successful ones, plus the running one.
    expect(names).toEqual(['00:15', '00:20', '00:25', '00:30'].map((t) => `tick-${minutes(`2026-01-01T${t}:00Z`)}`));
    const cj = await m.cluster.cronJobs('default').get('tick');
    expect(cj.status?.lastScheduleTime).toBe('2026-01-01T00:30:00Z');
    expect(cj.status?.active?.map((r) => r.name)).toEqual([`tick-${minutes('2026-01-01T00:30:00Z')}`]);
    expect(cj.status?.lastSuccessfulTime).toBeDefined();
    expect(Date.parse(cj.status!.lastSuccessfulTime!)).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:26:00Z'));
    const j = jobs.find((x) => x.metadata.name === `tick-${minutes('2026-01-01T00:30:00Z')}`)!;
    expect(j.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    expect(j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T00:30:00Z');
  });

  it('Forbid: no second Job while one runs; the missed time starts when it finishes', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 12 * 60_000 });
    await m.cluster.apply(cronJob('solo', '*/5 * * * *', { concurrencyPolicy: 'Forbid' }));
    let maxActive = 0;
    await m.advance(21 * 60_000, {
      stepMs: 10_000,
      onStep: async () => {
        maxActive = Math.max(maxActive, activeJobs(await jobsOf(m!.cluster)).length);
      },
    });
    expect(maxActive).toBe(1);
    const names = (await jobsOf(m.cluster)).map((j) => j.metadata.name).sort();
    // 00:05 runs until ~00:17; 00:10 and 00:15 are forbidden; 00:15 (the latest unmet) starts at ~00:17.
    expect(names).toEqual([`solo-${minutes('2026-01-01T00:05:00Z')}`, `solo-${minutes('2026-01-01T00:15:00Z')}`]);
    const ev = await eventsOf(m.cluster, 'solo');
    expect(ev.some((e) => e.reason === 'JobAlreadyActive')).toBe(true);
  });

  it('Replace: each schedule time deletes the running Job and starts a new one', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('task:1', { exitAfterMs: 3_600_000 });
    await m.cluster.apply(cronJob('swap', '*/5 * * * *', { concurrencyPolicy: 'Replace' }));
    await m.advance(16 * 60_000, { stepMs: 10_000 });
    const jobs = (await jobsOf(m.cluster)).filter((j) => !j.metadata.deletionTimestamp);
    expect(jobs.map((j) => j.metadata.name)).toEqual([`swap-${minutes('2026-01-01T00:15:00Z')}`]);
    const cj = await m.cluster.cronJobs('default').get('swap');
    expect(cj.status?.active?.map((r) => r.name)).toEqual([`swap-${minutes('2026-01-01T00:15:00Z')}`]);
    const ev = await eventsOf(m.cluster, 'swap');
    expect(ev.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual(
      expect.arrayContaining([
        `Deleted job swap-${minutes('2026-01-01T00:05:00Z')}`,
        `Deleted job swap-${minutes('2026-01-01T00:10:00Z')}`,
      ]),
    );
  });

  it('suspend starts nothing; a window missed by more than startingDeadlineSeconds is skipped', async () => {
    const { cluster } = await startBare('2026-01-01T00:00:00Z');
    await cluster.cronJobs('default').create(cronJob('late', '0 * * * *', { suspend: true, startingDeadlineSeconds: 300 }));
    await cluster.cronJobs('default').create(cronJob('eager', '0 * * * *', { suspend: true }));
    await advanceBy(cluster, 70 * 60_000, { stepMs: 60_000 });
    expect(await jobsOf(cluster)).toHaveLength(0);
    for (const n of ['late', 'eager']) await cluster.cronJobs('default').patch(n, { spec: { suspend: false } });
    await advanceBy(cluster, 10_000, { stepMs: 1000 });
    // 01:00 passed 10 minutes ago: beyond late's 300 s deadline, still due for eager.
    expect((await jobsOf(cluster)).map((j) => j.metadata.name)).toEqual([`eager-${minutes('2026-01-01T01:00:00Z')}`]);
    await advanceBy(cluster, 50 * 60_000, { stepMs: 60_000 });
    expect((await jobsOf(cluster)).map((j) => j.metadata.name).sort()).toEqual(
      [
        `eager-${minutes('2026-01-01T01:00:00Z')}`,
        `eager-${minutes('2026-01-01T02:00:00Z')}`,
        `late-${minutes('2026-01-01T02:00:00Z')}`,
      ].sort(),
    );
  });

  it('more than 100 missed start times is a TooManyMissedTimes Warning, and the latest still starts', async () => {
    const { cluster, clock } = await startBare('2026-01-01T00:00:00Z');
    await cluster.cronJobs('default').create(cronJob('many', '* * * * *', { suspend: true }));
    await clock.advance(3 * 3_600_000);
    await cluster.cronJobs('default').patch('many', { spec: { suspend: false } });
    await advanceBy(cluster, 1000, { stepMs: 1000 });
    const ev = await eventsOf(cluster, 'many');
    expect(ev.find((e) => e.reason === 'TooManyMissedTimes')).toMatchObject({ type: 'Warning' });
    expect((await jobsOf(cluster)).map((j) => j.metadata.name)).toEqual([`many-${minutes('2026-01-01T03:00:00Z')}`]);
  });

  it('timeZone America/New_York 02:30 daily: no run on the spring-forward day, 02:30 local otherwise', async () => {
    const { cluster } = await startBare('2026-03-06T12:00:00Z');
    await cluster.cronJobs('default').create(cronJob('ny', '30 2 * * *', { timeZone: 'America/New_York' }));
    // Four days of schedule in fake time; the controller sleeps until each next time.
    await advanceBy(cluster, 4 * 86_400_000, { stepMs: 3_600_000 });
    const names = (await jobsOf(cluster)).map((j) => j.metadata.name).sort();
    expect(names).toEqual(
      [
        '2026-03-07T07:30:00Z', // 02:30 EST
        // 2026-03-08: clocks jump from 02:00 to 03:00; 02:30 does not exist (Kubernetes skips it)
        '2026-03-09T06:30:00Z', // 02:30 EDT
        '2026-03-10T06:30:00Z',
      ].map((t) => `ny-${minutes(t)}`),
    );
  });

  it('sleeps until the next schedule: a year of @monthly in fake time creates 12 Jobs', async () => {
    const { cluster } = await startBare('2026-01-01T00:00:30Z');
    await cluster.cronJobs('default').create(cronJob('monthly', '@monthly', { timeZone: 'UTC', successfulJobsHistoryLimit: 100 }));
    await advanceBy(cluster, 365 * 86_400_000, { stepMs: 7 * 86_400_000 });
    expect(await jobsOf(cluster)).toHaveLength(12);
  });
});
