/**
 * Property tests of the Job controller's pure decisions: back-off, index intervals, the sync
 * plan's bounds, and finalizer tracking that counts every finished pod exactly once whatever
 * fails or is deleted in between.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Job, Pod } from '../../../../src/model/types.js';
import { backoffDelayMs, nextBackoffRecord, remainingBackoffMs } from '../../../../src/controllers/job/backoff.js';
import { firstPendingIndexes, formatIndexes, parseIndexes } from '../../../../src/controllers/job/indexes.js';
import { planSync } from '../../../../src/controllers/job/sync-plan.js';
import { countUncounted, enactFinished, planTracking } from '../../../../src/controllers/job/tracking.js';
import { matchPodFailurePolicy } from '../../../../src/controllers/job/pod-failure-policy.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function mkJob(spec: Partial<NonNullable<Job['spec']>>, status: Job['status'] = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
    spec: { backoffLimit: 1000, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } }, ...spec },
    status,
  };
}

function mkPod(uid: string, phase: string, opts: { finalizer?: boolean; deleting?: boolean; index?: number } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: uid,
      namespace: 'default',
      uid,
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(opts.finalizer !== false ? { finalizers: ['batch.kubernetes.io/job-tracking'] } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase: phase as 'Running' },
  };
}

describe('back-off', () => {
  it('doubles from 10 s, never exceeds 6 minutes, and never shrinks with more failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (n) => {
        const d = backoffDelayMs(n);
        expect(d).toBe(Math.min(10_000 * 2 ** (n - 1), 360_000));
        expect(backoffDelayMs(n + 1)).toBeGreaterThanOrEqual(d);
      }),
    );
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000]);
  });

  it('waits the delay from the last failure, and a later success resets it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 400_000 }), (failures, elapsed) => {
        const r = { failuresAfterLastSuccess: failures, lastFailureMs: NOW };
        expect(remainingBackoffMs(r, NOW + elapsed)).toBe(Math.max(0, backoffDelayMs(failures) - elapsed));
      }),
    );
    const failed = { ...mkPod('f', 'Failed'), metadata: { ...mkPod('f', 'Failed').metadata, creationTimestamp: '2026-01-01T00:00:01Z' } };
    const ok = { ...mkPod('s', 'Succeeded'), metadata: { ...mkPod('s', 'Succeeded').metadata, creationTimestamp: '2026-01-01T00:00:05Z' } };
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 3, lastFailureMs: NOW }, [ok], [failed])).toEqual({ failuresAfterLastSuccess: 0 });
  });
});

describe('completion indexes', () => {
  it('formats and parses back to the same sorted, distinct set', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }), (xs) => {
        const text = formatIndexes(xs);
        expect(parseIndexes(text, 1000)).toEqual([...new Set(xs)].sort((a, b) => a - b));
        expect(text).toMatch(/^(\d+(-\d+)?(,\d+(-\d+)?)*)?$/);
      }),
    );
    expect(formatIndexes([5, 0, 1, 2, 7, 8])).toBe('0-2,5,7-8');
    expect(parseIndexes('0-2,5,7-9', 8)).toEqual([0, 1, 2, 5, 7]);
  });

  it('first pending indexes are the lowest neither succeeded nor active', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 39 })),
        (count, completions, taken) => {
          const succeeded = new Set(taken.filter((_, i) => i % 2 === 0));
          const active = new Set(taken.filter((_, i) => i % 2 === 1));
          const out = firstPendingIndexes(count, completions, succeeded, active);
          const free = Array.from({ length: completions }, (_, i) => i).filter((i) => !succeeded.has(i) && !active.has(i));
          expect(out).toEqual(free.slice(0, count));
        },
      ),
    );
  });
});

describe('sync plan', () => {
  const phases = fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed');
  it('never runs more than parallelism pods nor more than the completions left', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(phases, { maxLength: 15 }),
        fc.boolean(),
        (parallelism, completions, ps, indexed) => {
          const job = mkJob({ parallelism, completions, ...(indexed ? { completionMode: 'Indexed' } : {}) });
          const pods = ps.map((p, i) => mkPod(`p${i}`, p, indexed ? { index: i % completions } : {}));
          const plan = planSync({
            job,
            pods,
            nowMs: NOW,
            backoff: { failuresAfterLastSuccess: 0 },
            expectationsSatisfied: true,
            expectedRemovals: new Set(),
          });
          const active = pods.filter((p) => p.status?.phase === 'Pending' || p.status?.phase === 'Running').length;
          if (plan.finished) {
            expect(plan.create).toHaveLength(0);
            return;
          }
          expect(active - plan.deleteExcess.length + plan.create.length).toBeLessThanOrEqual(parallelism);
          const succeeded = indexed ? (plan.succeededIndexes?.length ?? 0) : pods.filter((p) => p.status?.phase === 'Succeeded').length;
          expect(plan.create.length).toBeLessThanOrEqual(Math.max(0, completions - succeeded));
          if (plan.create.length > 0) expect(plan.deleteExcess).toHaveLength(0);
          if (indexed) {
            const created = plan.create as number[];
            expect(new Set(created).size).toBe(created.length);
            for (const ix of created) expect(plan.succeededIndexes).not.toContain(ix);
          }
        },
      ),
    );
  });

  it('creates nothing while the back-off runs, and asks to be woken when it ends', () => {
    const job = mkJob({ parallelism: 1, completions: 1 });
    const plan = planSync({
      job,
      pods: [],
      nowMs: NOW + 4000,
      backoff: { failuresAfterLastSuccess: 2, lastFailureMs: NOW },
      expectationsSatisfied: true,
      expectedRemovals: new Set(),
    });
    expect(plan.create).toHaveLength(0);
    expect(plan.requeueAfterMs).toBe(16_000);
  });

  it('does not finish while earlier creations are unobserved', () => {
    const job = mkJob({ activeDeadlineSeconds: 1 }, { startTime: '2025-12-31T00:00:00Z' });
    const plan = planSync({
      job,
      pods: [],
      nowMs: NOW,
      backoff: { failuresAfterLastSuccess: 0 },
      expectationsSatisfied: false,
      expectedRemovals: new Set(),
    });
    expect(plan.finished).toBeUndefined();
    const ok = planSync({
      job,
      pods: [],
      nowMs: NOW,
      backoff: { failuresAfterLastSuccess: 0 },
      expectationsSatisfied: true,
      expectedRemovals: new Set(),
    });
    expect(ok.finished).toMatchObject({ type: 'Failed', reason: 'DeadlineExceeded' });
  });
});

describe('pod failure policy', () => {
  it('the first matching rule decides; no match counts the failure', () => {
    const pod = mkPod('p', 'Failed');
    pod.status = {
      phase: 'Failed',
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 5 } } }],
    };
    const rules = [
      { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [5] } },
      { action: 'FailJob', onExitCodes: { operator: 'In', values: [5, 6] } },
      { action: 'Count', onExitCodes: { operator: 'In', values: [5] } },
    ];
    expect(matchPodFailurePolicy({ rules }, pod)).toMatchObject({ action: 'FailJob', countFailed: true });
    expect(matchPodFailurePolicy({ rules: [rules[0]] }, pod)).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy(undefined, pod)).toEqual({ countFailed: true });
  });
});

describe('finalizer tracking', () => {
  // A model of the store: pods hold the finalizer until it is removed; a deleted pod without it is gone.
  interface ModelPod {
    uid: string;
    phase: 'Succeeded' | 'Failed';
    finalizer: boolean;
    deleting: boolean;
    gone: boolean;
  }
  it('counts every finished pod exactly once, whatever removals fail, pods are deleted or status writes are lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<'Succeeded' | 'Failed'>('Succeeded', 'Failed'), { minLength: 1, maxLength: 12 }),
        fc.array(
          fc.record({
            removalOk: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
            deletes: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
            loseSecondWrite: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (phases, rounds) => {
          const model: ModelPod[] = phases.map((phase, i) => ({ uid: `p${i}`, phase, finalizer: true, deleting: false, gone: false }));
          let job = mkJob({ completions: 1000, parallelism: 0 }, { succeeded: 0, failed: 0 });
          const view = () =>
            model.filter((p) => !p.gone).map((p) => mkPod(p.uid, p.phase, { finalizer: p.finalizer, deleting: p.deleting }));
          const counted = () => (job.status?.succeeded ?? 0) + (job.status?.failed ?? 0);
          const uncounted = () =>
            (job.status?.uncountedTerminatedPods?.succeeded?.length ?? 0) + (job.status?.uncountedTerminatedPods?.failed?.length ?? 0);
          const runSync = (round: (typeof rounds)[number] | undefined) => {
            const pods = view();
            const plan = planSync({
              job,
              pods,
              nowMs: NOW,
              backoff: { failuresAfterLastSuccess: 0 },
              expectationsSatisfied: true,
              expectedRemovals: new Set(),
            });
            const t = planTracking(job, pods, plan, new Set());
            job = { ...job, status: t.status }; // the first write: UIDs recorded before finalizers go
            t.removeFinalizer.forEach((p, i) => {
              if (round && !round.removalOk[i % 12]) return;
              const mp = model.find((x) => x.uid === p.metadata.uid)!;
              mp.finalizer = false;
              if (mp.deleting) mp.gone = true;
              t.withFinalizer.delete(mp.uid);
            });
            if (round?.loseSecondWrite) return;
            const next = countUncounted(job.status ?? {}, t.withFinalizer);
            job = { ...job, status: enactFinished(next, t.finished, NOW) ?? next };
          };
          for (const round of rounds) {
            runSync(round);
            expect(counted() + uncounted()).toBeLessThanOrEqual(phases.length);
            round.deletes.forEach((d, i) => {
              const mp = model[i];
              if (!d || !mp) return;
              mp.deleting = true;
              if (!mp.finalizer) mp.gone = true;
            });
          }
          runSync(undefined);
          runSync(undefined);
          expect(uncounted()).toBe(0);
          expect(job.status?.succeeded).toBe(phases.filter((p) => p === 'Succeeded').length);
          expect(job.status?.failed).toBe(phases.filter((p) => p === 'Failed').length);
        },
      ),
    );
  });
});
