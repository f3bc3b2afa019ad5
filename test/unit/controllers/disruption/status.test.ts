/** The disruption controller's pure decisions: expected and desired counts, healthy pods, awaited disruptions, status. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodDisruptionBudget } from '../../../../src/model/types.js';
import {
  countHealthyPods,
  DELETION_TIMEOUT_MS,
  disruptedPodMap,
  expectedPodCount,
  failSafeStatus,
  nextStatus,
} from '../../../../src/controllers/disruption/index.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pdb(spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'b', namespace: 'default', generation },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
    ...(status ? { status } : {}),
  };
}

function pod(name: string, o: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const scaleOf = (n: number) => async () => ({ expectedCount: n, unmanagedPods: [] as string[] });

describe('expectedPodCount', () => {
  const pods = [pod('a'), pod('b'), pod('c')];
  it('an integer minAvailable counts the pods and needs that many healthy', async () => {
    let asked = false;
    const r = await expectedPodCount(pdb({ minAvailable: 2 }), pods, async () => ((asked = true), { expectedCount: 9, unmanagedPods: [] }));
    expect(r).toEqual({ expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
    expect(asked).toBe(false);
  });
  it('a percentage minAvailable is of the controllers scale, rounded up', async () => {
    expect(await expectedPodCount(pdb({ minAvailable: '50%' }), pods, scaleOf(5))).toMatchObject({ expectedCount: 5, desiredHealthy: 3 });
  });
  it('maxUnavailable (integer or percent, rounded up) is taken from the scale, never below 0', async () => {
    expect(await expectedPodCount(pdb({ maxUnavailable: 1 }), pods, scaleOf(4))).toMatchObject({ expectedCount: 4, desiredHealthy: 3 });
    expect(await expectedPodCount(pdb({ maxUnavailable: '34%' }), pods, scaleOf(3))).toMatchObject({ desiredHealthy: 1 });
    expect(await expectedPodCount(pdb({ maxUnavailable: 5 }), pods, scaleOf(3))).toMatchObject({ desiredHealthy: 0 });
  });
});

describe('healthy pods and awaited disruptions', () => {
  it('counts ready pods that are neither deleting nor awaited', () => {
    const pods = [pod('a'), pod('b', { ready: false }), pod('c', { deleting: true }), pod('d')];
    expect(countHealthyPods(pods, {}, NOW)).toBe(2);
    expect(countHealthyPods(pods, { d: iso(NOW - 1000) }, NOW)).toBe(1);
    expect(countHealthyPods(pods, { d: iso(NOW - DELETION_TIMEOUT_MS - 1000) }, NOW)).toBe(2);
  });
  it('keeps disrupted pods still awaited, drops deleted and overdue ones, and says when to look again', () => {
    const b = pdb(
      { minAvailable: 1 },
      {
        currentHealthy: 0,
        desiredHealthy: 1,
        expectedPods: 3,
        disruptionsAllowed: 0,
        disruptedPods: { a: iso(NOW - 10_000), b: iso(NOW - DELETION_TIMEOUT_MS - 1000), gone: iso(NOW), c: iso(NOW) },
      },
    );
    const r = disruptedPodMap(b, [pod('a'), pod('b'), pod('c', { deleting: true })], NOW);
    expect(r.disruptedPods).toEqual({ a: iso(NOW - 10_000) });
    expect(r.recheckAtMs).toBe(NOW - 10_000 + DELETION_TIMEOUT_MS);
    expect(r.overdue.map((p) => p.metadata.name)).toEqual(['b']);
  });
});

describe('nextStatus', () => {
  it('disruptionsAllowed = currentHealthy - desiredHealthy, never negative, 0 when no pod is expected', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.nat(10), fc.nat(10), (current, desired, expected) => {
        const s = nextStatus(
          pdb({ minAvailable: desired }),
          { currentHealthy: current, desiredHealthy: desired, expectedCount: expected, disruptedPods: {} },
          iso(NOW),
        );
        const allowed = expected <= 0 ? 0 : Math.max(0, current - desired);
        expect(s?.disruptionsAllowed).toBe(allowed);
        expect(s?.observedGeneration).toBe(1);
        const cond = s?.conditions?.find((c) => c.type === 'DisruptionAllowed');
        expect(cond).toMatchObject(
          allowed > 0 ? { status: 'True', reason: 'SufficientPods' } : { status: 'False', reason: 'InsufficientPods' },
        );
      }),
    );
  });
  it('answers undefined when the stored status is up to date', () => {
    const input = { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3, disruptedPods: {} };
    const first = nextStatus(pdb({ minAvailable: 2 }), input, iso(NOW));
    expect(nextStatus(pdb({ minAvailable: 2 }, first), input, iso(NOW + 1000))).toBeUndefined();
    expect(nextStatus(pdb({ minAvailable: 2 }, first, 2), input, iso(NOW + 1000))?.observedGeneration).toBe(2);
  });
  it('the fail-safe allows no disruption and says why', () => {
    const s = failSafeStatus(
      pdb({ maxUnavailable: 1 }, { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 }),
      'boom',
      iso(NOW),
    );
    expect(s.disruptionsAllowed).toBe(0);
    expect(s.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'boom' }),
    ]);
  });
});
