/**
 * cordon, uncordon and drain on a mock cluster: drain evicts through the eviction API, so a
 * PodDisruptionBudget is never broken (checked after every step of fake time), retries while it
 * forbids, leaves DaemonSet and mirror pods, resolves when the evicted pods are gone, and fails
 * Timeout naming the pods left when a budget never allows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import { deployment, isReady, nodeSpec, podsWith, startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const live = (ps: Pod[]) => ps.filter((p) => !p.metadata.deletionTimestamp && isReady(p));

/** Four web pods on node-a (the only node then), node-b added empty, a budget of minAvailable `min`. */
async function setup(min: number): Promise<MockCluster> {
  m = await startMockCluster({ nodes: [{ name: 'node-a', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
  const { cluster, runtime } = m;
  runtime.image('web:1', { readyAfterMs: 3000 });
  await cluster.apply(deployment('web', { replicas: 4, requests: { cpu: '1' } }));
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } },
    },
  });
  await cluster.pods().create({
    metadata: { name: 'static-web', annotations: { 'kubernetes.io/config.mirror': 'abc' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'agent:1' }] },
  });
  await cluster.advanceUntil(async () => live(await podsWith(cluster, 'default', { app: 'web' })).length === 4, { maxMs: 60_000 });
  await cluster.addNode(nodeSpec({ name: 'node-b', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }, runtime));
  await cluster.apply({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'default' },
    spec: { minAvailable: min, selector: { matchLabels: { app: 'web' } } },
  });
  await cluster.advanceUntil(async () => (await cluster.podDisruptionBudgets().get('web')).status?.observedGeneration === 1, {
    maxMs: 30_000,
  });
  return m;
}

describe('cordon and uncordon', () => {
  it('set and clear spec.unschedulable; the scheduler sends new pods elsewhere; an unknown node is NotFound', async () => {
    m = await startMockCluster({ nodes: 2 });
    const { cluster } = m;
    expect((await cluster.cordon('node-a')).spec?.unschedulable).toBe(true);
    await cluster.apply(deployment('web', { replicas: 3 }));
    await cluster.advanceUntil(async () => (await podsWith(cluster, 'default', { app: 'web' })).every((p) => p.spec?.nodeName), {
      maxMs: 30_000,
    });
    expect(new Set((await podsWith(cluster, 'default', { app: 'web' })).map((p) => p.spec?.nodeName))).toEqual(new Set(['node-b']));
    expect((await cluster.uncordon('node-a')).spec?.unschedulable).toBeUndefined();
    await expect(cluster.cordon('nope')).rejects.toMatchObject({ reason: 'NotFound' });
  });
});

describe('drain', () => {
  it('evicts one pod at a time as the budget allows, never below minAvailable; leaves DaemonSet and mirror pods', async () => {
    const { cluster } = await setup(3);
    let result: Awaited<ReturnType<typeof cluster.drain>> | undefined;
    let failure: unknown;
    const drained = cluster.drain('node-a').then(
      (r) => (result = r),
      (e: unknown) => (failure = e),
    );
    let minLive = 4;
    await cluster.advanceUntil(
      async () => {
        const pods = await podsWith(cluster, 'default', { app: 'web' });
        minLive = Math.min(minLive, live(pods).length);
        return result !== undefined || failure !== undefined;
      },
      { maxMs: 300_000 },
    );
    await drained;
    expect(failure).toBeUndefined();
    expect(minLive).toBeGreaterThanOrEqual(3);
    expect(result!.evicted).toHaveLength(4);
    expect(result!.ignored.sort()).toEqual(['default/static-web', expect.stringMatching(/^default\/agent-/)].sort());
    expect((await cluster.nodes().get('node-a')).spec?.unschedulable).toBe(true);
    const onA = (await cluster.pods().list({ fieldSelector: 'spec.nodeName=node-a' })).items.map((p) => p.metadata.name);
    expect(onA.sort()).toEqual(['static-web', expect.stringMatching(/^agent-/)].sort());
    // The refused evictions waited: the drain took several retry intervals of fake time.
    expect(live(await podsWith(cluster, 'default', { app: 'web' })).every((p) => p.spec?.nodeName === 'node-b')).toBe(true);
  });

  it('fails Timeout on the cluster clock naming the pods a budget keeps, and changes no more', async () => {
    const { cluster } = await setup(4);
    let failure: unknown;
    const drained = cluster.drain('node-a', { timeoutMs: 20_000 }).catch((e: unknown) => (failure = e));
    await cluster.advanceUntil(() => failure !== undefined, { maxMs: 60_000 });
    await drained;
    expect(TugboatError.is(failure, 'Timeout')).toBe(true);
    const err = failure as TugboatError;
    expect(err.code).toBe(504);
    expect(err.message).toMatch(/^drain of node "node-a" did not complete within 20000ms: pods left: default\/web-/);
    expect(err.message).toContain('needs 4 healthy pods and has 4 currently');
    expect(live(await podsWith(cluster, 'default', { app: 'web' }))).toHaveLength(4);
  });

  it('rejects bad options before cordoning', async () => {
    m = await startMockCluster({ nodes: 1 });
    await expect(m.cluster.drain('node-a', { timeoutMs: -1 })).rejects.toMatchObject({ reason: 'BadRequest' });
    expect((await m.cluster.nodes().get('node-a')).spec?.unschedulable).toBeUndefined();
    await expect(m.cluster.drain('nope')).rejects.toMatchObject({ reason: 'NotFound' });
  });
});
