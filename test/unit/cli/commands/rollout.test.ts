import { describe, expect, it } from 'vitest';
import { deploymentRolloutState, parseDuration } from '../../../../src/cli/commands/rollout.js';
import { CliFailure } from '../../../../src/cli/commands/failure.js';
import type { Deployment } from '../../../../src/model/types.js';

const deployment = (status: Deployment['status'], generation = 2, replicas = 3): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [] } } },
    status,
  }) as unknown as Deployment;

describe('deploymentRolloutState (kubectl 1.30 DeploymentStatusViewer)', () => {
  it('words each stage of a rollout as kubectl does', () => {
    expect(deploymentRolloutState(deployment({ observedGeneration: 1 }))).toEqual({
      message: 'Waiting for deployment spec update to be observed...',
      done: false,
    });
    expect(deploymentRolloutState(deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(
      deploymentRolloutState(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(
      deploymentRolloutState(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...');
    expect(deploymentRolloutState(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }))).toEqual({
      message: 'deployment "web" successfully rolled out',
      done: true,
    });
  });

  it('fails once the progress deadline passed', () => {
    const state = deploymentRolloutState(
      deployment({
        observedGeneration: 2,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      } as Deployment['status']),
    );
    expect(state).toEqual({ message: 'deployment "web" exceeded its progress deadline', done: true, failed: true });
  });
});

describe('parseDuration', () => {
  it('reads kubectl durations in seconds and rejects others', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('soon')).toThrow(CliFailure);
    expect(() => parseDuration('soon')).toThrow('invalid --timeout "soon"');
  });
});
