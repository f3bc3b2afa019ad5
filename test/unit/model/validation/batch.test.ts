import { describe, expect, it } from 'vitest';
import { CronJobType, JobType } from '../../../../src/model/kinds/index.js';
import { cronScheduleErrors, isValidCronSchedule } from '../../../../src/model/validation/cron.js';
import { edit, job } from './fixtures.js';

const jobFields = (obj: unknown, old?: unknown) => JobType.validate!(obj as never, old as never).causes.map((c) => c.field);
const cronJob = () => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'default' },
  spec: { schedule: '0 3 * * *', jobTemplate: { spec: structuredClone(job().spec as object) } },
});
const cronFields = (obj: unknown) => CronJobType.validate!(obj as never).causes.map((c) => c.field);

describe('Job validation', () => {
  it('accepts a valid job', () => expect(jobFields(job())).toEqual([]));
  it.each<[string, (j: any) => void, string[]]>([
    ['restartPolicy Always', (j) => (j.spec.template.spec.restartPolicy = 'Always'), ['spec.template.spec.restartPolicy']],
    ['restartPolicy unset', (j) => delete j.spec.template.spec.restartPolicy, ['spec.template.spec.restartPolicy']],
    ['negative parallelism', (j) => (j.spec.parallelism = -1), ['spec.parallelism']],
    ['negative completions', (j) => (j.spec.completions = -2), ['spec.completions']],
    ['Indexed without completions', (j) => (j.spec.completionMode = 'Indexed'), ['spec.completions']],
    ['bad completion mode', (j) => (j.spec.completionMode = 'Sorted'), ['spec.completionMode']],
    ['selector not matching', (j) => (j.spec.selector = { matchLabels: { a: 'b' } }), ['spec.template.metadata.labels']],
    ['no template', (j) => delete j.spec.template, ['spec.template']],
  ])('%s', (_n, change, expected) => expect(jobFields(edit(job(), change))).toEqual(expected));

  it('explains the allowed restart policies', () => {
    const [c] = JobType.validate!(edit(job(), (j) => (j.spec.template.spec.restartPolicy = 'Always')) as never).causes;
    expect(c.message).toBe('Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  it('keeps the template immutable on update', () => {
    const old = job();
    expect(
      jobFields(
        edit(old, (j) => (j.spec.template.spec.containers[0].image = 'other')),
        old,
      ),
    ).toEqual(['spec.template']);
    expect(
      jobFields(
        edit(old, (j) => (j.spec.activeDeadlineSeconds = 60)),
        old,
      ),
    ).toEqual([]);
  });
});

describe('CronJob validation', () => {
  it('accepts a valid cron job', () => expect(cronFields(cronJob())).toEqual([]));
  it.each<[string, (c: any) => void, string[]]>([
    ['bad schedule', (c) => (c.spec.schedule = '61 * * * *'), ['spec.schedule']],
    ['no schedule', (c) => delete c.spec.schedule, ['spec.schedule']],
    ['bad concurrency policy', (c) => (c.spec.concurrencyPolicy = 'Sometimes'), ['spec.concurrencyPolicy']],
    [
      'template restartPolicy Always',
      (c) => (c.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always'),
      ['spec.jobTemplate.spec.template.spec.restartPolicy'],
    ],
    ['name too long', (c) => (c.metadata.name = 'a'.repeat(53)), ['metadata.name']],
    ['negative history', (c) => (c.spec.failedJobsHistoryLimit = -1), ['spec.failedJobsHistoryLimit']],
  ])('%s', (_n, change, expected) => expect(cronFields(edit(cronJob(), change))).toEqual(expected));
});

describe('cron schedule syntax', () => {
  it.each([
    '* * * * *',
    '*/5 * * * *',
    '0 0 1 1 *',
    '0 9-17/2 * * MON-FRI',
    '15,45 * * JAN,jul sun',
    '@hourly',
    '@daily',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
    '@midnight',
    '@every 1h30m',
    '0 0 ? * *',
  ])('accepts %s', (s) => expect(cronScheduleErrors(s)).toEqual([]));
  it.each([
    '',
    '* * * *',
    '* * * * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * * 13 *',
    '* * * * 7',
    '5-1 * * * *',
    '*/0 * * * *',
    '@often',
    '@every soon',
    'TZ=UTC 0 * * * *',
    'a b c d e',
  ])('rejects %j', (s) => expect(isValidCronSchedule(s)).toBe(false));
});
