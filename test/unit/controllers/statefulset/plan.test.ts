/** The StatefulSet controller's pure decisions: planSync, the claim retention owners and revision history. */
import { describe, expect, it } from 'vitest';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../../../src/model/types.js';
import { planSync, maxUnavailableOf } from '../../../../src/controllers/statefulset/plan.js';
import { desiredClaimOwners, claimsForOrdinal, podClaimIsStale } from '../../../../src/controllers/statefulset/claims.js';
import { parentAndOrdinal } from '../../../../src/controllers/statefulset/names.js';
import { planUpdateRevision, revisionsToTruncate, newRevision } from '../../../../src/controllers/statefulset/revisions.js';

const NOW = 1_000_000;

function set(over: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
      volumeClaimTemplates: [
        { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ],
      ...over,
    },
  };
}

function pod(name: string, f: { ready?: boolean; rev?: string; phase?: string; terminating?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': name, 'controller-revision-hash': f.rev ?? 'r1' },
      ...(f.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'web:1' }],
      volumes: [{ name: 'www', persistentVolumeClaim: { claimName: `www-${name}` } }],
    },
    status: {
      phase: (f.phase ?? 'Running') as 'Running',
      conditions: [{ type: 'Ready', status: f.ready === false ? 'False' : 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }],
    },
  };
}

const plan = (s: StatefulSet, pods: Pod[], update = 'r1', claims = new Map<string, PersistentVolumeClaim>()) =>
  planSync({ set: s, pods, currentRevision: 'r1', updateRevision: update, claims, nowMs: NOW });
const actions = (p: ReturnType<typeof plan>) =>
  p.phases.flat().map((a) => `${a.type}:${'pod' in a ? a.pod.metadata.name : a.claim.metadata.name}`);

describe('planSync', () => {
  it('OrderedReady creates only the first missing pod, with its claims', () => {
    const p = plan(set(), [pod('web-0')]);
    expect(actions(p)).toEqual(['createPod:web-1']);
    const create = p.phases[0][0];
    expect(create.type === 'createPod' && create.claims.map((c) => c.metadata.name)).toEqual(['www-web-1']);
  });

  it('OrderedReady waits on a pod that is not ready', () => {
    expect(actions(plan(set(), [pod('web-0', { ready: false })]))).toEqual([]);
  });

  it('Parallel creates every missing pod', () => {
    expect(actions(plan(set({ podManagementPolicy: 'Parallel' }), []))).toEqual(['createPod:web-0', 'createPod:web-1', 'createPod:web-2']);
  });

  it('deletes a failed pod so it is recreated', () => {
    expect(actions(plan(set(), [pod('web-0', { phase: 'Failed' })]))).toEqual(['deletePod:web-0']);
  });

  it('condemns the highest ordinal first, one at a time', () => {
    expect(actions(plan(set({ replicas: 1 }), [pod('web-0'), pod('web-1'), pod('web-2')]))).toEqual(['deletePod:web-2']);
    expect(actions(plan(set({ replicas: 1 }), [pod('web-0'), pod('web-1'), pod('web-2', { terminating: true })]))).toEqual([]);
  });

  it('rolling update deletes the highest pod not at the update revision, never below the partition', () => {
    const pods = [pod('web-0'), pod('web-1'), pod('web-2')];
    expect(actions(plan(set(), pods, 'r2'))).toEqual(['deletePod:web-2']);
    const partitioned = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    expect(actions(plan(partitioned, [pod('web-0'), pod('web-1'), pod('web-2', { rev: 'r2' })], 'r2'))).toEqual([]);
    expect(actions(plan(set({ updateStrategy: { type: 'OnDelete' } }), pods, 'r2'))).toEqual([]);
  });

  it('maxUnavailable deletes up to that many, minus the unavailable', () => {
    const s = set({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } } });
    expect(maxUnavailableOf(s)).toBe(2);
    const pods = [pod('web-0'), pod('web-1'), pod('web-2'), pod('web-3')];
    expect(actions(plan(s, pods, 'r2'))).toEqual(['deletePod:web-3', 'deletePod:web-2']);
    expect(maxUnavailableOf(set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } }))).toBe(1);
  });

  it('counts status over the pods', () => {
    const p = plan(set(), [pod('web-0'), pod('web-1', { rev: 'r2' }), pod('web-2', { ready: false })], 'r2');
    expect(p.counts).toMatchObject({ replicas: 3, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 1 });
  });
});

describe('claims', () => {
  it('names one claim per template and ordinal, labelled with the selector', () => {
    const [c] = claimsForOrdinal(set(), 0);
    expect(c.metadata).toMatchObject({ name: 'www-web-0', namespace: 'default', labels: { app: 'web' } });
    expect(parentAndOrdinal('my-db-12')).toEqual({ parent: 'my-db', ordinal: 12 });
    expect(parentAndOrdinal('nope').ordinal).toBe(-1);
  });

  it('owners follow persistentVolumeClaimRetentionPolicy', () => {
    const claim = claimsForOrdinal(set(), 2)[0];
    expect(desiredClaimOwners(claim, set(), pod('web-2'))).toEqual([]);
    const delDeleted = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    expect(desiredClaimOwners(claim, delDeleted, pod('web-2')).map((r) => r.kind)).toEqual(['StatefulSet']);
    const delScaled = set({ replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(desiredClaimOwners(claim, delScaled, pod('web-2')).map((r) => `${r.kind}/${r.name}`)).toEqual(['Pod/web-2']);
    const owned = {
      ...claim,
      metadata: { ...claim.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-2', uid: 'old' }] },
    };
    const fresh = { ...pod('web-2'), metadata: { ...pod('web-2').metadata, uid: undefined } };
    expect(podClaimIsStale(delScaled, fresh, new Map([['www-web-2', owned]]))).toBe(true);
    expect(podClaimIsStale(set(), fresh, new Map([['www-web-2', owned]]))).toBe(false);
  });
});

describe('revisions', () => {
  it('keeps the latest equal revision, renumbers an older one (rollback), creates otherwise', () => {
    const s1 = set();
    const r1 = newRevision(s1, 1);
    const s2 = set({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:2' }] } } });
    const r2 = newRevision(s2, 2);
    expect(planUpdateRevision(s1, [r1]).action).toBe('keep');
    expect(planUpdateRevision(s2, [r1]).action).toBe('create');
    const back = planUpdateRevision(s1, [r1, r2]);
    expect(back).toMatchObject({ action: 'renumber', to: 3 });
    const old: ControllerRevision[] = [1, 2, 3, 4].map((n) => ({
      ...newRevision(set({ minReadySeconds: n }), n),
      metadata: { name: `r${n}` },
    }));
    expect(
      revisionsToTruncate(set({ revisionHistoryLimit: 1 }), old, [pod('web-0', { rev: 'r1' })], ['r4']).map((r) => r.metadata.name),
    ).toEqual(['r2']);
  });
});
