import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Deployment, ReplicaSet } from '../../../src/model/types.js';
import {
  planNewReplicaSet,
  planOldReplicaSets,
  planScale,
  resolveFenceposts,
  maxSurge,
  maxUnavailable,
} from '../../../src/controllers/deployment/planner.js';
import { templateForRevision, replicaSetsToCleanUp } from '../../../src/controllers/deployment/revisions.js';
import { revisionAnnotations } from '../../../src/controllers/util/revision-annotations.js';
import { computeHash as computeTemplateHash } from '../../../src/controllers/util/template-hash.js';

function deploy(replicas: number, maxSurgeV: number | string, maxUnavailableV: number | string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', generation: 1 },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: maxSurgeV, maxUnavailable: maxUnavailableV } },
    },
  };
}

function rs(name: string, replicas: number, available: number, createdS: number, annotations: Record<string, string> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, uid: name, annotations, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, createdS)).toISOString() },
    spec: { replicas, selector: {}, template: {} },
    status: { replicas, availableReplicas: available },
  };
}

describe('fenceposts', () => {
  it.each([
    [1, 0, 10, 1, 0],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 5, 0, 1],
    ['0%', '0%', 5, 0, 1],
    ['50%', '50%', 3, 2, 1],
  ])('maxSurge %j maxUnavailable %j of %i -> surge %i unavailable %i', (s, u, n, es, eu) => {
    expect(resolveFenceposts(s, u, n)).toEqual({ surge: es, unavailable: eu });
  });

  it('caps unavailable at replicas and is 0 for Recreate', () => {
    expect(maxUnavailable(deploy(2, 0, 5))).toBe(2);
    const r = deploy(4, 1, 1);
    r.spec!.strategy = { type: 'Recreate' };
    expect(maxUnavailable(r)).toBe(0);
    expect(maxSurge(r)).toBe(0);
  });
});

const intOrPercent = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
);

describe('rolling update planner', () => {
  it('never exceeds replicas + maxSurge pods nor drops below replicas - maxUnavailable available, and completes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        intOrPercent,
        intOrPercent,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
        (replicas, s, u, luck) => {
          const d = deploy(replicas, s, u);
          const { surge, unavailable } = resolveFenceposts(s, u, replicas);
          const minAvailable = replicas - Math.min(unavailable, replicas);
          let old = { spec: replicas, available: replicas };
          let neu = { spec: 0, available: 0 };
          for (let step = 0; step < 200; step++) {
            const oldRS = rs('old', old.spec, old.available, 0);
            const newRS = rs('new', neu.spec, neu.available, 10);
            const all = [oldRS, newRS];
            const target = planNewReplicaSet(d, all, newRS);
            if (target !== undefined) {
              if (target < neu.spec) neu = { spec: target, available: Math.min(neu.available, target) };
              else neu = { ...neu, spec: target };
            } else {
              const plan = planOldReplicaSets(d, all, [oldRS], newRS);
              const size = plan.get('old');
              if (size !== undefined) {
                // the ReplicaSet deletes unavailable pods first
                old = { spec: size, available: Math.min(old.available, size) };
              }
            }
            expect(old.spec + neu.spec).toBeLessThanOrEqual(replicas + surge);
            expect(old.available + neu.available).toBeGreaterThanOrEqual(minAvailable);
            // Pods become available at random moments, and surely once the first 100 steps are over.
            if (neu.available < neu.spec && (luck[step] > 0.5 || step >= 100)) neu = { ...neu, available: neu.available + 1 };
            if (old.spec === 0 && neu.spec === replicas && neu.available === replicas) return;
          }
          throw new Error(`did not complete: old ${JSON.stringify(old)} new ${JSON.stringify(neu)}`);
        },
      ),
    );
  });

  it('does not scale an old ReplicaSet down twice while its status still counts pods above its spec', () => {
    // 7 replicas, maxUnavailable 1: the old RS was already scaled 4 -> 3, its status still says 4 available;
    // 4 new pods are available. Only one more old pod may go (7 available -> 6), not two.
    const d = deploy(7, 4, 1);
    const oldRS = rs('old', 3, 4, 0);
    const newRS = rs('new', 4, 4, 10);
    expect(planOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS).get('old')).toBe(2);
  });

  it('scales proportionally mid-rollout, leftovers to the largest ReplicaSet', () => {
    const d = deploy(15, 3, 0);
    const ann = { 'deployment.kubernetes.io/max-replicas': '13', 'deployment.kubernetes.io/desired-replicas': '10' };
    const sizes = planScale(d, rs('new', 5, 0, 10, ann), [rs('old', 8, 8, 0, ann)]);
    const total = (sizes.get('new') ?? 5) + (sizes.get('old') ?? 8);
    expect(total).toBe(18);
    expect(sizes.get('old')).toBe(11);
    expect(sizes.get('new')).toBe(7);
  });

  it('gives the whole size to a single active ReplicaSet, and zeroes old ones once the new is saturated', () => {
    expect(planScale(deploy(5, 1, 0), rs('new', 3, 3, 10), [rs('old', 0, 0, 0)])).toEqual(new Map([['new', 5]]));
    const ann = { 'deployment.kubernetes.io/desired-replicas': '3' };
    expect(planScale(deploy(3, 1, 0), rs('new', 3, 3, 10, ann), [rs('old', 1, 1, 0)])).toEqual(new Map([['old', 0]]));
  });
});

describe('revisions', () => {
  const withRev = (name: string, r: number, image: string, replicas = 0) => {
    const x = rs(name, replicas, 0, r, { 'deployment.kubernetes.io/revision': String(r) });
    x.spec!.template = { metadata: { labels: { app: 'a', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } };
    return x;
  };

  it('finds the previous or a given revision without the hash label', () => {
    const sets = [withRev('a', 1, 'x:1'), withRev('b', 3, 'x:3'), withRev('c', 2, 'x:2')];
    expect(templateForRevision(sets).spec?.containers[0].image).toBe('x:2');
    expect(templateForRevision(sets, 1).spec?.containers[0].image).toBe('x:1');
    expect(templateForRevision(sets, 1).metadata?.labels).toEqual({ app: 'a' });
    expect(() => templateForRevision(sets, 9)).toThrow(/revision 9/);
    expect(() => templateForRevision([withRev('a', 1, 'x:1')])).toThrow(/no rollout history/);
    expect(() => templateForRevision(sets, -1)).toThrow(/toRevision/);
  });

  it('records an old revision in revision-history when a template comes back', () => {
    const a = withRev('a', 1, 'x:1');
    expect(revisionAnnotations(a, 3)).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(revisionAnnotations(a, 1)).toBeUndefined();
  });

  it('cleans up the lowest scaled-down revisions beyond the limit', () => {
    const d = deploy(1, 1, 0);
    d.spec!.revisionHistoryLimit = 1;
    const sets = [withRev('a', 1, 'x'), withRev('b', 2, 'x', 1), withRev('c', 3, 'x')];
    expect(replicaSetsToCleanUp(d, sets).map((x) => x.metadata.name)).toEqual(['a']);
  });

  it('hashes templates stably and differently per collision count', () => {
    const t = { metadata: { labels: { b: '1', a: '2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const same = {
      spec: { containers: [{ image: 'x', name: 'c' }] },
      metadata: { labels: { a: '2', b: '1', 'pod-template-hash': 'zzz' } },
    };
    expect(computeTemplateHash(t)).toBe(computeTemplateHash(same));
    expect(computeTemplateHash(t, 1)).not.toBe(computeTemplateHash(t));
  });
});
