/** The HPA's pure decisions: the replica calculator (missing, unready and ignored pods, tolerance), stabilization and policies, v1 conversion. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../../../../src/model/types.js';
import {
  newHistory,
  normalize,
  normalizeWithBehavior,
  plainMetricReplicas,
  recordScaleEvent,
  resourceReplicas,
  type PodMetric,
} from '../../../../src/controllers/hpa/index.js';
import { podRequests } from '../../../../src/controllers/hpa/replica-calculator.js';
import { hpaStatusV2ToV1, hpaV1ToV2 } from '../../../../src/model/hpa-conversion.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function pod(
  name: string,
  o: { phase?: string; ready?: boolean; startedAgoMs?: number; readyAgoMs?: number; deleting?: boolean } = {},
): Pod {
  const started = NOW - (o.startedAgoMs ?? 600_000);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '500m' } } }] },
    status: {
      phase: o.phase ?? 'Running',
      startTime: iso(started),
      conditions: [
        { type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(NOW - (o.readyAgoMs ?? 590_000)) },
      ],
    },
  };
}
const metric = (value: number): PodMetric => ({ value, timestampMs: NOW, windowMs: 15_000 });
const metrics = (entries: [string, number][]) => new Map(entries.map(([k, v]) => [k, metric(v)]));

describe('resourceReplicas', () => {
  it('ceil(ratio x ready pods); within the tolerance nothing changes', () => {
    const pods = [pod('a'), pod('b')];
    const req = podRequests(pods, 'cpu');
    expect(
      resourceReplicas(
        2,
        50,
        'cpu',
        pods,
        metrics([
          ['a', 450],
          ['b', 450],
        ]),
        req,
        NOW,
      ).replicas,
    ).toBe(4);
    expect(
      resourceReplicas(
        2,
        50,
        'cpu',
        pods,
        metrics([
          ['a', 270],
          ['b', 270],
        ]),
        req,
        NOW,
      ).replicas,
    ).toBe(2);
    expect(
      resourceReplicas(
        2,
        50,
        'cpu',
        pods,
        metrics([
          ['a', 50],
          ['b', 50],
        ]),
        req,
        NOW,
      ).replicas,
    ).toBe(1);
  });
  it('missing pods count as 100% on a scale down, 0 on a scale up; pending and deleting pods are ignored', () => {
    const pods = [pod('a'), pod('b'), pod('gone', { deleting: true }), pod('new', { phase: 'Pending' })];
    const req = podRequests(pods, 'cpu');
    // a, b at 10%; c missing counts as 100% -> (10+10+100)/3 = 40% of 50: ceil(0.8 x 3) = 3
    const withMissing = [...pods, pod('c')];
    expect(
      resourceReplicas(
        3,
        50,
        'cpu',
        withMissing,
        metrics([
          ['a', 50],
          ['b', 50],
        ]),
        podRequests(withMissing, 'cpu'),
        NOW,
      ).replicas,
    ).toBe(3);
    // Scale up: a, b at 100%, c missing counts 0 -> 66% of 50: ceil(1.33 x 3) = 4
    expect(
      resourceReplicas(
        3,
        50,
        'cpu',
        withMissing,
        metrics([
          ['a', 500],
          ['b', 500],
        ]),
        podRequests(withMissing, 'cpu'),
        NOW,
      ).replicas,
    ).toBe(4);
    expect(
      resourceReplicas(
        2,
        50,
        'cpu',
        pods,
        metrics([
          ['a', 500],
          ['b', 500],
          ['gone', 5000],
          ['new', 5000],
        ]),
        req,
        NOW,
      ).replicas,
    ).toBe(4);
  });
  it('unready pods (cpu) count as 0 on a scale up, and a pod ready for less than a metric window is unready', () => {
    const pods = [pod('a'), pod('b', { startedAgoMs: 20_000, readyAgoMs: 5_000 })];
    const req = podRequests(pods, 'cpu');
    // a at 100%, b unready -> 0: 50% of 50 -> stays 2 (the unready pod would flip the direction)
    expect(
      resourceReplicas(
        2,
        50,
        'cpu',
        pods,
        metrics([
          ['a', 500],
          ['b', 500],
        ]),
        req,
        NOW,
      ).replicas,
    ).toBe(2);
    expect(() => resourceReplicas(1, 50, 'cpu', [], new Map(), new Map(), NOW)).toThrow('no pods returned by selector');
    expect(() => podRequests([{ ...pod('x'), spec: { containers: [{ name: 'c', image: 'i' }] } }], 'cpu')).toThrow(
      'missing request for cpu in container c of Pod x',
    );
  });
  it('never proposes a change in the wrong direction (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 200 }),
        (usages, target) => {
          const pods = usages.map((_, i) => pod(`p${i}`));
          const m = metrics(usages.map((u, i) => [`p${i}`, u]));
          const r = resourceReplicas(pods.length, target, 'cpu', pods, m, podRequests(pods, 'cpu'), NOW);
          const total = usages.reduce((a, b) => a + b, 0);
          const ratio = Math.floor((total * 100) / (500 * pods.length)) / target;
          if (ratio > 1.1) expect(r.replicas).toBeGreaterThanOrEqual(pods.length);
          if (ratio < 0.9) expect(r.replicas).toBeLessThanOrEqual(pods.length);
          if (Math.abs(1 - ratio) <= 0.1) expect(r.replicas).toBe(pods.length);
        },
      ),
    );
  });
  it('AverageValue (plain) metrics: missing pods count as the target on a scale down', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    expect(
      plainMetricReplicas(
        3,
        10,
        undefined,
        pods,
        metrics([
          ['a', 30],
          ['b', 30],
          ['c', 30],
        ]),
        NOW,
      ).replicas,
    ).toBe(9);
    expect(
      plainMetricReplicas(
        3,
        10,
        undefined,
        pods,
        metrics([
          ['a', 2],
          ['b', 2],
        ]),
        NOW,
      ).replicas,
    ).toBe(2);
  });
});

describe('normalization', () => {
  it('without behavior: the highest recommendation of the last 5 minutes; x2 or +4 rate; bounds', () => {
    const h = newHistory();
    expect(normalize(h, 4, 8, 1, 10, NOW).replicas).toBe(8);
    const held = normalize(h, 8, 2, 1, 10, NOW + 60_000);
    expect(held).toMatchObject({ replicas: 8, ableToScale: { reason: 'ScaleDownStabilized' } });
    expect(normalize(h, 8, 2, 1, 10, NOW + 301_000).replicas).toBe(2);
    expect(normalize(newHistory(), 2, 20, 1, 30, NOW)).toMatchObject({
      replicas: 4,
      scalingLimited: { status: 'True', reason: 'ScaleUpLimit' },
    });
    expect(normalize(newHistory(), 5, 0, 2, 30, NOW)).toMatchObject({ replicas: 2, scalingLimited: { reason: 'TooFewReplicas' } });
  });
  it('with behavior: a scale-down policy of 10% per minute and a 60 s window', () => {
    const h = newHistory();
    const behavior = { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } };
    // The window: a recommendation of 10 holds a later one of 2 for 60 s.
    expect(normalizeWithBehavior(h, behavior, 10, 10, 1, 30, NOW).replicas).toBe(10);
    expect(normalizeWithBehavior(h, behavior, 10, 2, 1, 30, NOW + 30_000)).toMatchObject({
      replicas: 10,
      ableToScale: { reason: 'ScaleDownStabilized' },
    });
    // Past it, the rate: 10% of the replicas at the period's start.
    const n = normalizeWithBehavior(h, behavior, 10, 2, 1, 30, NOW + 61_000);
    expect(n).toMatchObject({ replicas: 9, scalingLimited: { status: 'True', reason: 'ScaleDownLimit' } });
    recordScaleEvent(h, behavior, 10, 9, NOW + 61_000);
    expect(normalizeWithBehavior(h, behavior, 9, 2, 1, 30, NOW + 70_000).replicas).toBe(9); // 10 at the period's start: 9 is the limit
    expect(normalizeWithBehavior(h, behavior, 9, 2, 1, 30, NOW + 122_000).replicas).toBe(8);
    expect(normalizeWithBehavior(newHistory(), { scaleUp: { selectPolicy: 'Disabled' } }, 3, 9, 1, 30, NOW).replicas).toBe(3);
  });
});

describe('autoscaling/v1 conversion', () => {
  it('targetCPUUtilizationPercentage is a cpu Utilization metric (80 by default); the v1 status keeps the cpu utilization', () => {
    const v2 = hpaV1ToV2({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'w' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 5, targetCPUUtilizationPercentage: 60 },
    });
    expect(v2.spec?.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ]);
    expect(v2.spec?.minReplicas).toBe(1);
    expect(
      hpaStatusV2ToV1({
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75 } } }],
      }),
    ).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 });
  });
});
