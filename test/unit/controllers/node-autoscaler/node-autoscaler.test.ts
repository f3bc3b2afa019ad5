import { stopOnFakeClock } from '../../../support/stop-on-fake-clock.js';
/**
 * The cluster autoscaler over LocalNodeGroups on a mock cluster (FakeClock): unschedulable pods
 * grow the group whose template fits (TriggeredScaleUp, within maxSize), pods no group fits get
 * NotTriggerScaleUp, an underused node is drained and removed after the unneeded time, a pod that
 * cannot move keeps its node, provider failures are retried, and the status ConfigMap is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { MockRuntime } from '../../../../src/runtime-adapters/mock/index.js';
import { LocalCloudProvider, LocalNodeGroups, NODE_GROUP_LABEL } from '../../../../src/cloud-providers/local/index.js';
import type { CloudProvider } from '../../../../src/cloud-providers/types.js';
import { MockCloudProvider } from '../../../../src/testing/mock-cloud-provider.js';
import type { Pod } from '../../../../src/model/types.js';
import { deployment, nodeSpec } from '../../../support/mock-cluster.js';

let cluster: Cluster | undefined;
let clock: FakeClock;
afterEach(async () => {
  if (!cluster) return;
  await stopOnFakeClock(cluster, clock);
  cluster = undefined;
});

const SMALL = { cpu: '1', memory: '4Gi', pods: '110' };
const POOL = { cpu: '2', memory: '4Gi', pods: '110' };

async function start(make: (runtime: MockRuntime) => CloudProvider): Promise<Cluster> {
  clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const runtime = new MockRuntime({ clock });
  cluster = await Cluster.start({ clock, cloudProvider: make(runtime), nodes: [nodeSpec({ name: 'node-a', capacity: SMALL }, runtime)] });
  await cluster.settled();
  return cluster;
}

const pool = (runtime: MockRuntime, min = 0, max = 3) => ({ name: 'pool', min, max, template: { runtime, capacity: POOL } });

async function nodeNames(c: Cluster): Promise<string[]> {
  return (await c.nodes().list()).items.map((n) => n.metadata.name ?? '').sort();
}

async function eventsWith(c: Cluster, reason: string): Promise<Array<{ name?: string; message?: string }>> {
  const all = await c.events.list('');
  return all.filter((e) => e.reason === reason).map((e) => ({ name: e.involvedObject?.name, message: e.message }));
}

async function runningOn(c: Cluster): Promise<Record<string, string>> {
  const pods = (await c.pods().list()).items.filter((p) => p.status?.phase === 'Running');
  return Object.fromEntries(pods.map((p) => [p.metadata.name ?? '', p.spec?.nodeName ?? '']));
}

describe('cluster autoscaler over local node groups', () => {
  it('brings a group to its minSize at start, nodes named <group>-<n> and labelled with the group', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt, 1, 3)] }));
    expect(await nodeNames(c)).toEqual(['node-a', 'pool-1']);
    expect((await c.nodes().get('pool-1')).metadata.labels?.[NODE_GROUP_LABEL]).toBe('pool');
  });

  it('a pod pending for lack of cpu grows the group (TriggeredScaleUp) and runs on the new node; the status ConfigMap says so', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt)] }));
    await c.apply(deployment('web', { replicas: 2, requests: { cpu: '800m' } }));
    await c.advanceUntil(async () => Object.keys(await runningOn(c)).length === 2, { maxMs: 120_000 });
    expect(await nodeNames(c)).toEqual(['node-a', 'pool-1']);
    expect(new Set(Object.values(await runningOn(c)))).toEqual(new Set(['node-a', 'pool-1']));
    const triggered = await eventsWith(c, 'TriggeredScaleUp');
    expect(triggered).toHaveLength(1);
    expect(triggered[0]!.message).toBe('pod triggered scale-up: [{pool 0->1 (max: 3)}]');
    expect((await eventsWith(c, 'ScaledUpGroup'))[0]?.message).toBe('Scale-up: setting group pool size to 1 instead of 0 (max: 3)');
    const status = (await c.configMaps('kube-system').get('cluster-autoscaler-status')).data?.status ?? '';
    expect(status).toContain('autoscalerStatus: Running');
    expect(status).toContain('name: pool');
    expect(status).toContain('cloudProviderTarget: 1');
  });

  it('a pod no group fits gets NotTriggerScaleUp and no node is added', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt)] }));
    await c.apply(deployment('big', { replicas: 1, requests: { cpu: '8' } }));
    await c.advanceUntil(async () => (await eventsWith(c, 'NotTriggerScaleUp')).length > 0, { maxMs: 60_000 });
    expect((await eventsWith(c, 'NotTriggerScaleUp'))[0]!.message).toBe("pod didn't trigger scale-up: 1 Insufficient cpu");
    await c.advanceUntil(() => clock.nowMs() > Date.parse('2026-01-01T00:05:00Z'), { maxMs: 600_000, stepMs: 10_000 });
    expect(await nodeNames(c)).toEqual(['node-a']);
  });

  it('stops at maxSize: the pods left over are told the group is at its max', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt, 0, 2)] }));
    await c.apply(deployment('web', { replicas: 4, requests: { cpu: '1500m' } }));
    await c.advanceUntil(async () => Object.keys(await runningOn(c)).length === 2, { maxMs: 120_000 });
    await c.advanceUntil(async () => (await eventsWith(c, 'NotTriggerScaleUp')).length >= 2, { maxMs: 120_000 });
    expect(await nodeNames(c)).toEqual(['node-a', 'pool-1', 'pool-2']);
    expect((await eventsWith(c, 'NotTriggerScaleUp')).map((e) => e.message)).toEqual([
      "pod didn't trigger scale-up: 1 max node group size reached",
      "pod didn't trigger scale-up: 1 max node group size reached",
    ]);
  });

  it('an underused node is drained and removed after 10 minutes unneeded (ScaleDown), its pods moved', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt)] }));
    await c.apply(deployment('web', { replicas: 2, requests: { cpu: '400m' } }));
    // node-a (1 cpu) takes both: no scale-up. Ask for a third pod that needs the pool.
    await c.apply(deployment('batch', { replicas: 1, requests: { cpu: '900m' } }));
    await c.advanceUntil(async () => (await nodeNames(c)).includes('pool-1') && Object.keys(await runningOn(c)).length === 3, {
      maxMs: 120_000,
    });
    const scaledUpAt = clock.nowMs();
    await c.scale('default', 'Deployment', 'batch', 0);
    await c.advanceUntil(async () => !(await nodeNames(c)).includes('pool-1'), { maxMs: 1_800_000, stepMs: 5_000 });
    // Not before both the scale-down delay after the add and the unneeded time (10 min each).
    expect(clock.nowMs() - scaledUpAt).toBeGreaterThanOrEqual(600_000);
    const scaleDown = await eventsWith(c, 'ScaleDown');
    expect(scaleDown.some((e) => e.name === 'pool-1' && e.message === 'marked the node as toBeDeleted/unschedulable')).toBe(true);
    expect(Object.keys(await runningOn(c))).toHaveLength(2);
  });

  it('a pod without a controller keeps its node', async () => {
    const c = await start((rt) => new LocalCloudProvider({ nodeGroups: [pool(rt)] }));
    const bare: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bare', namespace: 'default' },
      spec: {
        nodeSelector: { [NODE_GROUP_LABEL]: 'pool' },
        containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '100m' } } }],
      },
    };
    await c.apply(bare);
    await c.advanceUntil(async () => (await runningOn(c)).bare === 'pool-1', { maxMs: 120_000 });
    await c.advanceUntil(() => clock.nowMs() > Date.parse('2026-01-01T00:40:00Z'), { maxMs: 3_000_000, stepMs: 30_000 });
    expect(await nodeNames(c)).toEqual(['node-a', 'pool-1']);
  });

  it('provider failures are retried with back-off and lose nothing', async () => {
    let mock: MockCloudProvider | undefined;
    const c = await start((rt) => {
      mock = new MockCloudProvider({ nodeGroups: new LocalNodeGroups([pool(rt)]) });
      mock.failNext('nodeGroups', 3, 'cloud api down');
      return mock;
    });
    await c.apply(deployment('web', { replicas: 2, requests: { cpu: '800m' } }));
    await c.advanceUntil(async () => Object.keys(await runningOn(c)).length === 2, { maxMs: 120_000 });
    expect(mock!.calls.filter((x) => x.failed)).toHaveLength(3);
    expect(await nodeNames(c)).toEqual(['node-a', 'pool-1']);
  });

  it('rejects bad groups with the field named', () => {
    const rt = new MockRuntime();
    expect(() => new LocalNodeGroups([{ name: 'p', min: 2, max: 1, template: { runtime: rt } }])).toThrow(/nodeGroups\[0\]\.max/);
    expect(() => new LocalNodeGroups([{ name: 'P_', min: 0, max: 1, template: { runtime: rt } }])).toThrow(/nodeGroups\[0\]\.name/);
  });
});
