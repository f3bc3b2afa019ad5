/** Validation of Job specs as Kubernetes' ValidateJobSpec rejects them (podFailurePolicy, Indexed limits, restartPolicy). */
import { describe, expect, it } from 'vitest';
import { validateJob } from '../../../src/model/validation/batch.js';
import type { Job } from '../../../src/model/types.js';

function spec(s: Partial<NonNullable<Job['spec']>>, restartPolicy = 'Never'): { spec: NonNullable<Job['spec']> } {
  return { spec: { template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'x' }] } }, ...s } };
}
const fields = (j: { spec: NonNullable<Job['spec']> }) => validateJob(j).map((c) => `${c.field}: ${c.message}`);

describe('Job validation', () => {
  it('accepts a well-formed podFailurePolicy', () => {
    expect(
      fields(spec({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1, 42] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } })),
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
