import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../../../src/model/types.js';
import { calculateStatus, rolloutStatus } from '../../../src/controllers/deployment/status.js';
import { calculateReplicaSetStatus } from '../../../src/controllers/replicaset/status.js';

/** An instant with a fraction of a second: metav1.Time drops it. */
const NOW = Date.UTC(2026, 0, 1, 0, 0, 1, 123);
const WHOLE = '2026-01-01T00:00:01Z';

describe('controller status timestamps', () => {
  it('a Deployment condition reads whole seconds, as a pod condition does', () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', generation: 1 },
      spec: { replicas: 1, progressDeadlineSeconds: 600 } as Deployment['spec'],
    };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1' },
      spec: { replicas: 1 } as ReplicaSet['spec'],
      status: { replicas: 1, availableReplicas: 1, readyReplicas: 1 },
    };
    for (const s of [calculateStatus([rs], rs, d, NOW), rolloutStatus([rs], rs, d, NOW)]) {
      expect(s.conditions?.length).toBeGreaterThan(0);
      for (const c of s.conditions ?? []) {
        expect(c.lastTransitionTime).toBe(WHOLE);
        expect(c.lastUpdateTime).toBe(WHOLE);
      }
    }
  });

  it('a ReplicaSet ReplicaFailure condition reads whole seconds', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1' },
      spec: { replicas: 1 } as ReplicaSet['spec'],
    };
    const { status } = calculateReplicaSetStatus(rs, [], NOW, { reason: 'FailedCreate', message: 'quota' });
    expect(status.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', lastTransitionTime: WHOLE });
  });
});
