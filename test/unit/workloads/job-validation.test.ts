/** Validation of Job specs as Kubernetes' ValidateJobSpec rejects them (podFailurePolicy, Indexed limits, restartPolicy). */
import { describe, expect, it } from 'vitest';
import { validateCronJob, validateJob } from '../../../src/model/validation/batch.js';
import type { Job } from '../../../src/model/types.js';

function spec(s: Partial<NonNullable<Job['spec']>>, restartPolicy = 'Never'): { spec: NonNullable<Job['spec']> } {
  return { spec: { template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'x' }] } }, ...s } };
}
const fields = (j: { spec: NonNullable<Job['spec']> }) => validateJob(j).map((c) => `${c.field}: ${c.message}`);

describe('Job validation', () => {
  it('accepts a well-formed podFailurePolicy', () => {
    expect(
      fields(
        spec({
          podFailurePolicy: {
            rules: [
              { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1, 42] } },
              { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
            ],
          },
        }),
      ),
    ).toEqual([]);
  });

  it('rejects a podFailurePolicy with restartPolicy OnFailure, exit code 0 with In, unordered values, both or neither requirement, unknown action', () => {
    const out = fields(
      spec(
        {
          podFailurePolicy: {
            rules: [
              { action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3] } },
              { action: 'Count', onExitCodes: { operator: 'NotIn', values: [5, 2] } },
              { action: 'Ignore' },
              { action: 'Explode', onPodConditions: [{ type: 'X', status: 'Maybe' }] },
              { action: 'Count', onExitCodes: { containerName: 'other', operator: 'In', values: [1] } },
            ],
          },
        },
        'OnFailure',
      ),
    );
    expect(out).toEqual([
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[1].onExitCodes.values[1]: Invalid value: 2: must be ordered',
      'spec.podFailurePolicy.rules[2]: Invalid value: "": specifying one of OnExitCodes and OnPodConditions is required',
      expect.stringContaining('spec.podFailurePolicy.rules[3].action: Unsupported value: "Explode"'),
      expect.stringContaining('spec.podFailurePolicy.rules[3].onPodConditions[0].status: Unsupported value: "Maybe"'),
      'spec.podFailurePolicy.rules[4].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
    ]);
  });

  it('rejects Indexed parallelism above 100000 and Indexed without completions', () => {
    expect(fields(spec({ completionMode: 'Indexed', completions: 5, parallelism: 100_001 }))).toEqual([
      'spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
    ]);
    expect(fields(spec({ completionMode: 'Indexed' }))[0]).toMatch(/^spec.completions: Required value/);
  });

  it('rejects restartPolicy Always in a Job template', () => {
    expect(fields(spec({}, 'Always'))).toEqual([expect.stringMatching(/^spec.template.spec.restartPolicy: Unsupported value: "Always"/)]);
  });
});

describe('CronJob validation', () => {
  const cj = (schedule: string, timeZone?: string) => ({
    metadata: { name: 'c' },
    spec: { schedule, ...(timeZone !== undefined ? { timeZone } : {}), jobTemplate: { spec: spec({}).spec } },
  });
  const out = (schedule: string, timeZone?: string) => validateCronJob(cj(schedule, timeZone)).map((c) => `${c.field}: ${c.message}`);

  it('accepts the macros, five fields and an IANA time zone', () => {
    for (const s of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '*/5 * * * *', '0 0 * * SUN'])
      expect(out(s, 'America/New_York')).toEqual([]);
  });

  it('rejects TZ in the schedule, day-of-week 7, and unknown or implicit time zones', () => {
    expect(out('TZ=UTC 0 * * * *')).toEqual([
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    expect(out('CRON_TZ=UTC 0 * * * *')[0]).toMatch(/cannot use TZ or CRON_TZ/);
    expect(out('0 0 * * 7')[0]).toMatch(/^spec.schedule: Invalid value: "0 0 \* \* 7": day of week out of range/);
    expect(out('0 * * * *', 'Mars/Olympus')).toEqual(['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    expect(out('0 * * * *', 'america/new_york')).toEqual([
      'spec.timeZone: Invalid value: "america/new_york": unknown time zone america/new_york',
    ]);
    expect(out('0 * * * *', 'Local')[0]).toMatch(/must be an explicit time zone/);
    expect(out('0 * * * *', '')[0]).toMatch(/must be nil or non-empty string/);
  });
});
