import { describe, expect, it } from 'vitest';
import { rolloutComplete } from '../../../src/cluster/rollout.js';
import type { Deployment } from '../../../src/model/types.js';

const dep = (status: Deployment['status'], replicas = 3, generation = 2): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas, selector: {}, template: {} },
  status,
});

describe('rolloutComplete (kubectl rollout status)', () => {
  it('waits for the controller to observe the latest generation', () => {
    expect(rolloutComplete(dep({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 'web')).toBe(false);
  });
  it('waits for updated, then for old replicas to go, then for availability', () => {
    expect(rolloutComplete(dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 3 }), 'web')).toBe(false);
    expect(rolloutComplete(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 }), 'web')).toBe(false);
    expect(rolloutComplete(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), 'web')).toBe(false);
    expect(rolloutComplete(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 'web')).toBe(true);
  });
  it('fails once the progress deadline is exceeded', () => {
    const stuck = dep({
      observedGeneration: 2,
      updatedReplicas: 1,
      replicas: 3,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(() => rolloutComplete(stuck, 'web')).toThrow(/exceeded its progress deadline/);
  });
  it('fails NotFound when the Deployment is gone', () => {
    expect(() => rolloutComplete(undefined, 'web')).toThrow(/not found/);
  });
});
