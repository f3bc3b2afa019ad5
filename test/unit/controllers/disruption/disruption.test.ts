/**
 * The disruption controller on a mock cluster: a budget's status follows its pods (minAvailable
 * and maxUnavailable, integer and percent, expectedPods from the controllers' scale), unmanaged
 * pods and pods of a kind without a scale subresource, and the eviction API against it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PodDisruptionBudget } from '../../../../src/model/types.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { deployment, isReady, podsWith, startMockCluster, type MockCluster } from '../../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function budget(name: string, spec: Partial<NonNullable<PodDisruptionBudget['spec']>>, app = 'web'): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app } }, ...spec },
  };
}

async function start(replicas: number): Promise<MockCluster> {
  m = await startMockCluster({ nodes: 2 });
  await m.cluster.apply(deployment('web', { replicas }));
  await m.cluster.advanceUntil(async () => (await podsWith(m!.cluster, 'default', { app: 'web' })).filter(isReady).length === replicas, {
    maxMs: 60_000,
  });
  return m;
}

type BudgetStatus = NonNullable<PodDisruptionBudget['status']>;

async function statusOf(m: MockCluster, name: string, when: (s: BudgetStatus) => boolean): Promise<BudgetStatus> {
  const found = await m.cluster.advanceUntil(
    async () => {
      const s = (await m.cluster.podDisruptionBudgets().get(name)).status;
      return s && when(s) ? s : undefined;
    },
    { maxMs: 30_000 },
  );
  if (!found) throw new Error('unreachable: advanceUntil resolves with a truthy value');
  return found;
}

describe('PodDisruptionBudget status', () => {
  it('minAvailable (integer): expectedPods is the pods, desiredHealthy the number, one disruption allowed of three', async () => {
    const m = await start(3);
    await m.cluster.apply(budget('web', { minAvailable: 2 }));
    const s = await statusOf(m, 'web', (s) => s.observedGeneration === 1);
    expect(s).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' })]);
  });

  it('maxUnavailable and a percentage minAvailable count the Deployment scale (rounding up)', async () => {
    const m = await start(4);
    await m.cluster.apply(budget('mu', { maxUnavailable: '30%' }));
    expect(await statusOf(m, 'mu', (s) => s.observedGeneration === 1)).toMatchObject({
      expectedPods: 4,
      desiredHealthy: 2,
      disruptionsAllowed: 2,
    });
    await m.cluster.podDisruptionBudgets().delete('mu');
    await m.cluster.apply(budget('ma', { minAvailable: '90%' }));
    expect(await statusOf(m, 'ma', (s) => s.observedGeneration === 1)).toMatchObject({
      expectedPods: 4,
      desiredHealthy: 4,
      disruptionsAllowed: 0,
    });
    const s = (await m.cluster.podDisruptionBudgets().get('ma')).status;
    expect(s?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    // Scaling the Deployment changes expectedPods; a spec change bumps observedGeneration.
    await m.cluster.scale('default', 'Deployment', 'web', 10);
    expect(await statusOf(m, 'ma', (s) => s.expectedPods === 10 && s.currentHealthy === 10)).toMatchObject({
      desiredHealthy: 9,
      disruptionsAllowed: 1,
    });
    await m.cluster.podDisruptionBudgets().patch('ma', { spec: { minAvailable: '50%' } });
    expect(await statusOf(m, 'ma', (s) => s.observedGeneration === 2)).toMatchObject({ desiredHealthy: 5, disruptionsAllowed: 5 });
  });

  it('not-ready pods are not healthy', async () => {
    const m = await start(2);
    m.runtime.image('slow:1', { readyAfterMs: 3_600_000 });
    await m.cluster.apply(deployment('slow', { replicas: 2, image: 'slow:1' }));
    await m.cluster.apply(budget('slow', { minAvailable: 1 }, 'slow'));
    expect(await statusOf(m, 'slow', (s) => s.expectedPods === 2)).toMatchObject({
      currentHealthy: 0,
      desiredHealthy: 1,
      disruptionsAllowed: 0,
    });
  });

  it('unmanaged pods under maxUnavailable: a warning Event, the status from the managed ones', async () => {
    const m = await start(2);
    await m.cluster.pods().create({
      metadata: { name: 'loose', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'web:1' }] },
    });
    await m.cluster.apply(budget('web', { maxUnavailable: 1 }));
    const s = await statusOf(m, 'web', (s) => s.observedGeneration === 1);
    expect(s.expectedPods).toBe(2);
    await m.cluster.advanceUntil(async () => (await m.cluster.events.list()).some((e) => e.reason === 'UnmanagedPods'), { maxMs: 10_000 });
  });

  it('pods of a kind without a scale subresource (a DaemonSet) under a percentage: SyncFailed, no disruption', async () => {
    m = await startMockCluster({ nodes: 2 });
    await m.cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } },
      },
    });
    await m.cluster.advanceUntil(async () => (await podsWith(m!.cluster, 'default', { app: 'agent' })).length === 2, { maxMs: 30_000 });
    await m.cluster.apply(budget('agent', { minAvailable: '50%' }, 'agent'));
    const s = await statusOf(m, 'agent', (s) => s.conditions?.some((c) => c.reason === 'SyncFailed') ?? false);
    expect(s.disruptionsAllowed).toBe(0);
    expect(s.conditions?.[0]?.message).toBe('daemonsets.apps does not implement the scale subresource');
  });
});

describe('eviction API', () => {
  it('evicts while the budget allows, then fails TooManyRequests with Kubernetes message; records disruptedPods', async () => {
    const m = await start(3);
    await m.cluster.apply(budget('web', { minAvailable: 2 }));
    await statusOf(m, 'web', (s) => s.disruptionsAllowed === 1);
    const [a, b] = await podsWith(m.cluster, 'default', { app: 'web' });
    await m.cluster.pods().evict(a!.metadata.name!);
    const after = (await m.cluster.podDisruptionBudgets().get('web')).status;
    expect(after?.disruptionsAllowed).toBe(0);
    expect(Object.keys(after?.disruptedPods ?? {})).toEqual([a!.metadata.name]);
    expect(after?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    const evicted = await m.cluster.pods().find(a!.metadata.name!);
    expect(evicted === undefined || !!evicted.metadata.deletionTimestamp).toBe(true);
    if (evicted)
      expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        status: 'True',
        reason: 'EvictionByEvictionAPI',
      });

    const err = await m.cluster
      .pods()
      .evict(b!.metadata.name!)
      .catch((e: unknown) => e);
    expect(TugboatError.is(err, 'TooManyRequests')).toBe(true);
    const te = err as TugboatError;
    expect(te.code).toBe(429);
    expect(te.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(te.causes[0]).toMatchObject({
      reason: 'DisruptionBudget',
      message: 'The disruption budget web needs 2 healthy pods and has 3 currently',
    });
    expect((await m.cluster.pods().get(b!.metadata.name!)).metadata.deletionTimestamp).toBeUndefined();

    // The replacement becomes ready; the controller forgets the evicted pod and allows one again.
    const s = await statusOf(m, 'web', (s) => s.disruptionsAllowed === 1 && !s.disruptedPods);
    expect(s.currentHealthy).toBe(3);
    await m.cluster.pods().evict(b!.metadata.name!);
  });

  it('a budget not yet observed refuses (still being processed); a dry run changes nothing; no budget deletes', async () => {
    const m = await start(2);
    const [a, b] = await podsWith(m.cluster, 'default', { app: 'web' });
    await m.cluster.podDisruptionBudgets().create(budget('web', { maxUnavailable: 1 }));
    const err = await m.cluster
      .pods()
      .evict(a!.metadata.name!)
      .catch((e: unknown) => e as TugboatError);
    expect(err).toBeInstanceOf(TugboatError);
    expect((err as TugboatError).causes[0]?.message).toBe('The disruption budget web is still being processed by the server.');
    await statusOf(m, 'web', (s) => s.disruptionsAllowed === 1);
    await m.cluster.pods().evict(a!.metadata.name!, { dryRun: true });
    expect((await m.cluster.podDisruptionBudgets().get('web')).status?.disruptionsAllowed).toBe(1);
    expect((await m.cluster.pods().get(a!.metadata.name!)).metadata.deletionTimestamp).toBeUndefined();
    await m.cluster.podDisruptionBudgets().delete('web');
    await m.cluster.pods().evict(b!.metadata.name!, { deleteOptions: { gracePeriodSeconds: 0 } });
    expect(await m.cluster.pods().find(b!.metadata.name!)).toBeUndefined();
    await expect(m.cluster.pods().evict('nope')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('two budgets covering a pod: InternalError', async () => {
    const m = await start(3);
    await m.cluster.apply(budget('one', { minAvailable: 1 }));
    await m.cluster.apply(budget('two', { minAvailable: 1 }));
    const [a] = await podsWith(m.cluster, 'default', { app: 'web' });
    await statusOf(m, 'two', (s) => s.disruptionsAllowed === 2);
    await expect(m.cluster.pods().evict(a!.metadata.name!)).rejects.toMatchObject({
      reason: 'InternalError',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    });
  });
});
