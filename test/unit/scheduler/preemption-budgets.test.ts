/** Preemption and PodDisruptionBudgets: nodes whose victims violate fewer budgets win; violating pods are reprieved first. */
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../../../src/scheduler/registry.js';
import { scheduleOne } from '../../../src/scheduler/schedule-one.js';
import { findPreemption, splitByBudgetViolation } from '../../../src/scheduler/preemption.js';
import { podInfoOf } from '../../../src/scheduler/pod-info.js';
import type { Node, Pod, PodDisruptionBudget } from '../../../src/model/types.js';
import { makeNode, makePod } from '../../../src/testing.js';

function budget(app: string, disruptionsAllowed: number, disruptedPods?: Record<string, string>): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: 'default' },
    spec: { selector: { matchLabels: { app } }, minAvailable: 1 },
    status: { disruptionsAllowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...(disruptedPods ? { disruptedPods } : {}) },
  };
}

function preempt(nodes: Node[], existing: Pod[], pod: Pod, pdbs: PodDisruptionBudget[]) {
  const registry = defaultRegistry();
  const snapshot = buildSnapshot(nodes, existing);
  const out = scheduleOne(registry, pod, snapshot);
  if (out.ok) throw new Error('expected the pod not to fit');
  return findPreemption(registry, pod, snapshot, out, undefined, pdbs);
}

const names = (ps: Pod[] | undefined) => (ps ?? []).map((p) => p.metadata.name).sort();

describe('preemption with PodDisruptionBudgets', () => {
  const nodes = [makeNode('n1').capacity({ cpu: '2' }).obj(), makeNode('n2').capacity({ cpu: '2' }).obj()];
  // n1's victim has the lower priority (preferred without budgets), but its budget allows no disruption.
  const existing = [
    makePod('guarded').label('app', 'db').req({ cpu: '2' }).priority(1).node('n1').obj(),
    makePod('free').label('app', 'web').req({ cpu: '2' }).priority(5).node('n2').obj(),
  ];
  const urgent = makePod('urgent').req({ cpu: '2' }).priority(100).obj();

  it('without budgets, the lowest-priority victim is chosen', () => {
    expect(names(preempt(nodes, existing, urgent, []).result?.victims)).toEqual(['guarded']);
  });

  it('prefers the node whose victims violate no budget', () => {
    const out = preempt(nodes, existing, urgent, [budget('db', 0), budget('web', 1)]);
    expect(out.result?.nodeName).toBe('n2');
    expect(names(out.result?.victims)).toEqual(['free']);
  });

  it('still preempts when every candidate violates a budget (fewest violations first)', () => {
    const out = preempt(nodes, existing, urgent, [budget('db', 0), budget('web', 0)]);
    expect(out.result?.nodeName).toBe('n1');
  });

  it('a pod the budget already counts as disrupted, or a budget of another namespace or with an empty selector, violates nothing', () => {
    const pods = [makePod('a').label('app', 'db').obj(), makePod('b').label('app', 'db').obj(), makePod('c').label('app', 'db').obj()].map(
      podInfoOf,
    );
    const split = (pdbs: PodDisruptionBudget[]) => {
      const r = splitByBudgetViolation(pods, pdbs);
      return { violating: r.violating.map((p) => p.pod.metadata.name), nonViolating: r.nonViolating.map((p) => p.pod.metadata.name) };
    };
    expect(split([budget('db', 1)])).toEqual({ violating: ['b', 'c'], nonViolating: ['a'] });
    expect(split([budget('db', 1, { a: '2026-01-01T00:00:00Z' })])).toEqual({ violating: ['c'], nonViolating: ['a', 'b'] });
    const other = { ...budget('db', 0), metadata: { name: 'db', namespace: 'other' } };
    const empty = { ...budget('db', 0), spec: { selector: {}, minAvailable: 1 } };
    expect(split([other, empty]).violating).toEqual([]);
  });
});
