/**
 * The pods/eviction subresource against budgets whose status is written by hand (no controller):
 * unhealthy pods under IfHealthyBudget and AlwaysAllow, terminal and pending pods, a negative
 * budget, a uid precondition, and decrementBudget's arithmetic.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { decrementBudget } from '../../../src/api/eviction.js';
import type { Pod, PodDisruptionBudget } from '../../../src/model/types.js';
import { rejection } from '../../support/rejection.js';

let cluster: Cluster;
beforeEach(async () => {
  cluster = await Cluster.start({ clock: new FakeClock(Date.parse('2026-01-01T00:00:00Z')), scheduler: false, controllers: false });
});
afterEach(async () => {
  await cluster.stop();
});

async function pod(name: string, phase: string, ready: boolean): Promise<Pod> {
  const p = await cluster.pods().create({ metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  return cluster.pods().updateStatus({
    ...p,
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

async function budget(status: NonNullable<PodDisruptionBudget['status']>, policy?: 'IfHealthyBudget' | 'AlwaysAllow'): Promise<void> {
  const b = await cluster.podDisruptionBudgets().create({
    metadata: { name: 'web' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } }, ...(policy ? { unhealthyPodEvictionPolicy: policy } : {}) },
  });
  await cluster.podDisruptionBudgets().updateStatus({ ...b, status: { observedGeneration: 1, ...status } });
}

const gone = async (name: string) => {
  const p = await cluster.pods().find(name);
  return !p || !!p.metadata.deletionTimestamp;
};

describe('eviction', () => {
  it('an unready pod goes without a disruption when the budget is healthy (IfHealthyBudget), not when it is not', async () => {
    await pod('sick', 'Running', false);
    await pod('well', 'Running', true);
    await budget({ currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 });
    await cluster.pods().evict('sick');
    expect(await gone('sick')).toBe(true);
    expect((await cluster.podDisruptionBudgets().get('web')).status?.disruptedPods).toBeUndefined();
    expect((await rejection(cluster.pods().evict('well'))).reason).toBe('TooManyRequests');
    await cluster.podDisruptionBudgets().patchStatus('web', { status: { currentHealthy: 1 } });
    await pod('sick2', 'Running', false);
    expect((await rejection(cluster.pods().evict('sick2'))).reason).toBe('TooManyRequests');
  });

  it('AlwaysAllow lets an unready pod go even from an unhealthy budget', async () => {
    await pod('sick', 'Running', false);
    await budget({ currentHealthy: 0, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 }, 'AlwaysAllow');
    await cluster.pods().evict('sick');
    expect(await gone('sick')).toBe(true);
  });

  it('terminal and pending pods go without asking the budget', async () => {
    await pod('done', 'Succeeded', false);
    await pod('waiting', 'Pending', false);
    await budget({ currentHealthy: 0, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
    await cluster.pods().evict('done');
    await cluster.pods().evict('waiting');
    expect(await gone('done')).toBe(true);
    expect(await gone('waiting')).toBe(true);
  });

  it('a uid precondition that does not match is a Conflict and changes nothing', async () => {
    await pod('a', 'Running', true);
    const err = await rejection(cluster.pods().evict('a', { deleteOptions: { preconditions: { uid: 'other' } } }));
    expect(err.reason).toBe('Conflict');
    expect(await gone('a')).toBe(false);
  });
});

describe('decrementBudget', () => {
  const b = (status: Partial<NonNullable<PodDisruptionBudget['status']>>, generation = 1): PodDisruptionBudget => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'b', generation },
    spec: {},
    status: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1, ...status },
  });
  it('takes one disruption and records the pod; at zero the condition says InsufficientPods', () => {
    const s = decrementBudget(b({}), 'p', '2026-01-01T00:00:00Z');
    expect(s).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { p: '2026-01-01T00:00:00Z' } });
    expect(s.conditions?.[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    expect(decrementBudget(b({ disruptionsAllowed: 3 }), 'p', 'now').conditions).toBeUndefined();
  });
  it('refuses a negative budget (Forbidden), a stale one and an empty one (TooManyRequests)', () => {
    expect(() => decrementBudget(b({ disruptionsAllowed: -1 }), 'p', 'now')).toThrow('pdb disruptions allowed is negative');
    expect(() => decrementBudget(b({}, 2), 'p', 'now')).toThrow("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(() => decrementBudget(b({ disruptionsAllowed: 0 }), 'p', 'now')).toThrow(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
  });
});
