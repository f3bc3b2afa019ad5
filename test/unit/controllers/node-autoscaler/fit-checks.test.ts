import { stopOnFakeClock } from '../../../support/stop-on-fake-clock.js';
/**
 * The cluster autoscaler's fit checks as cluster-autoscaler's: pending pods are simulated on each
 * group's template nodes with the scheduler's own filter plugins (node selector, node affinity,
 * taints and tolerations, resources, host ports, pod affinity and anti-affinity), so the group
 * grown is one the scheduler will place them on, by as many nodes as they need. Pure (planScaleUp
 * over the scheduler-backed simulator), then end to end on MockRuntime + FakeClock for the Events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../../src/model/types.js';
import type { NodeGroup } from '../../../../src/cloud-providers/types.js';
import {
  checkUnneeded,
  planScaleUp,
  schedulableOnExisting,
  templateNode,
  type GroupState,
} from '../../../../src/controllers/node-autoscaler/index.js';
import { schedulerSimulator } from '../../../../src/cluster/scheduling-simulator.js';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { MockRuntime } from '../../../../src/runtime-adapters/mock/index.js';
import { LocalCloudProvider } from '../../../../src/cloud-providers/local/index.js';
import { deployment, nodeSpec } from '../../../support/mock-cluster.js';

const sim = schedulerSimulator();

function group(id: string, template: NodeGroup['template'] = {}, maxSize = 5): GroupState {
  return {
    group: { id, minSize: 0, maxSize, template: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, ...template } },
    targetSize: 0,
    upcoming: 0,
  };
}

function pod(name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
    spec: { containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '100m' } } }], ...spec },
  };
}

const none = { nodes: [] as Node[], pods: [] as Pod[] };

describe('planScaleUp with the scheduler filters', () => {
  it('grows the group whose labels a nodeSelector or required node affinity asks for', () => {
    const gpu = group('gpu', { labels: { accelerator: 'nvidia' } });
    const cpu = group('cpu', { labels: { accelerator: 'none' } });
    const bySelector = planScaleUp([pod('a', { nodeSelector: { accelerator: 'nvidia' } })], [cpu, gpu], none, sim);
    expect(bySelector.scaleUp?.group.group.id).toBe('gpu');
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'accelerator', operator: 'NotIn', values: ['nvidia'] }] }],
        },
      },
    };
    const byAffinity = planScaleUp([pod('b', { affinity })], [gpu, cpu], none, sim);
    expect(byAffinity.scaleUp?.group.group.id).toBe('cpu');
    const nowhere = planScaleUp([pod('c', { nodeSelector: { accelerator: 'tpu' } })], [gpu, cpu], none, sim);
    expect(nowhere.scaleUp).toBeUndefined();
    expect(nowhere.noScaleUp[0]!.reasons).toEqual([
      "node(s) didn't match Pod's node affinity/selector",
      "node(s) didn't match Pod's node affinity/selector",
    ]);
  });

  it('a tainted group takes only pods that tolerate its taint', () => {
    const tainted = group('spot', { taints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }] });
    const plain = planScaleUp([pod('a')], [tainted], none, sim);
    expect(plain.scaleUp).toBeUndefined();
    expect(plain.noScaleUp[0]!.reasons[0]).toMatch(/untolerated taint/);
    const tolerating = pod('b', { tolerations: [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] });
    expect(planScaleUp([tolerating], [tainted], none, sim).scaleUp?.group.group.id).toBe('spot');
  });

  it('packs by resources: three 800m pods need two 2-cpu nodes; a pod larger than the template fits none', () => {
    const pods = ['a', 'b', 'c'].map((n) =>
      pod(n, { containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '800m' } } }] }),
    );
    expect(planScaleUp(pods, [group('pool')], none, sim).scaleUp?.delta).toBe(2);
    const big = pod('big', { containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '3' } } }] });
    expect(planScaleUp([big], [group('pool')], none, sim).noScaleUp[0]!.reasons).toEqual(['Insufficient cpu']);
  });

  it('host ports: two pods on the same hostPort need a node each', () => {
    const withPort = (n: string) =>
      pod(n, { containers: [{ name: 'app', image: 'web:1', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    const plan = planScaleUp([withPort('a'), withPort('b')], [group('pool')], none, sim);
    expect(plan.scaleUp?.delta).toBe(2);
    // Within a max of one, the second is told the group is full.
    const capped = planScaleUp([withPort('a'), withPort('b')], [group('pool', {}, 1)], none, sim);
    expect(capped.scaleUp?.delta).toBe(1);
    expect(capped.noScaleUp.map((x) => x.reasons)).toEqual([['max node group size reached']]);
  });

  it('pod anti-affinity by hostname: one replica per new node, the running one counted', () => {
    const anti = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    const replicas = ['db-1', 'db-2', 'db-3'].map((n) => pod(n, { affinity: anti }, { app: 'db' }));
    expect(planScaleUp(replicas, [group('pool')], none, sim).scaleUp?.delta).toBe(3);
    // An existing node runs db-0: it takes none of them, and the group still needs one node each.
    const node: Node = {
      ...templateNode(group('other').group, 0),
      metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } },
    };
    const running = { ...pod('db-0', { affinity: anti, nodeName: 'node-a' }, { app: 'db' }) };
    const cluster = { nodes: [node], pods: [running] };
    expect(schedulableOnExisting(replicas, cluster, sim).size).toBe(0);
    expect(planScaleUp(replicas, [group('pool')], cluster, sim).scaleUp?.delta).toBe(3);
  });

  it('pod affinity by zone: the group in the zone of the pods it must join', () => {
    const zone = 'topology.kubernetes.io/zone';
    const z1 = group('pool-z1', { labels: { [zone]: 'z1' } });
    const z2 = group('pool-z2', { labels: { [zone]: 'z2' } });
    const existing: Node = {
      ...templateNode(z2.group, 0),
      metadata: { name: 'node-a', labels: { [zone]: 'z2', 'kubernetes.io/hostname': 'node-a' } },
      status: { allocatable: { cpu: '0', memory: '0', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const cache = pod('cache-0', { nodeName: 'node-a' }, { app: 'cache' });
    const web = pod('web-0', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: zone }],
        },
      },
    });
    const plan = planScaleUp([web], [z1, z2], { nodes: [existing], pods: [cache] }, sim);
    expect(plan.scaleUp?.group.group.id).toBe('pool-z2');
    expect(plan.noScaleUp).toEqual([]);
  });

  it("pod affinity with a namespaceSelector sees the namespaces' labels", () => {
    const zone = 'topology.kubernetes.io/zone';
    const z1 = group('pool-z1', { labels: { [zone]: 'z1' } });
    const z2 = group('pool-z2', { labels: { [zone]: 'z2' } });
    const existing: Node = {
      ...templateNode(z2.group, 0),
      metadata: { name: 'node-a', labels: { [zone]: 'z2', 'kubernetes.io/hostname': 'node-a' } },
      status: { allocatable: { cpu: '0', memory: '0', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const cache = { ...pod('cache-0', { nodeName: 'node-a' }, { app: 'cache' }) };
    const inTeamA = { ...cache, metadata: { ...cache.metadata, namespace: 'ns-a' } };
    const web = pod('web-0', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'cache' } }, namespaceSelector: { matchLabels: { team: 'a' } }, topologyKey: zone },
          ],
        },
      },
    });
    const cluster = { nodes: [existing], pods: [inTeamA] };
    const withLabels = schedulerSimulator(
      undefined,
      () =>
        new Map<string, Record<string, string>>([
          ['ns-a', { team: 'a' }],
          ['default', {}],
        ]),
    );
    expect(planScaleUp([web], [z1, z2], cluster, withLabels).scaleUp?.group.group.id).toBe('pool-z2');
    // Without the namespace's labels no pod matches the term: no group fits.
    expect(planScaleUp([web], [z1, z2], cluster, sim).scaleUp).toBeUndefined();
  });

  it('upcoming nodes take pods first: no new node for pods they will hold', () => {
    const g = { ...group('pool'), targetSize: 1, upcoming: 1 };
    const plan = planScaleUp([pod('a'), pod('b')], [g], none, sim);
    expect(plan.scaleUp).toBeUndefined();
    expect(plan.waiting.map((p) => p.metadata.name).sort()).toEqual(['a', 'b']);
  });
});

describe('checkUnneeded with the scheduler filters', () => {
  it('a node whose pod can move only onto a node it does not tolerate is needed', () => {
    const make = (name: string, taints?: Node['spec']) => ({
      ...templateNode(group('pool').group, 0),
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      ...(taints ? { spec: taints } : {}),
    });
    const a = make('a');
    const b = make('b', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
    const p = {
      ...pod('p', { nodeName: 'a' }),
      metadata: {
        ...pod('p').metadata,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }],
      },
    };
    expect(checkUnneeded(a, { nodes: [a, b], pods: [p] }, 0.5, sim)).toMatchObject({ unneeded: false, reason: 'NoPlaceToMovePods' });
    const c = make('c');
    expect(checkUnneeded(a, { nodes: [a, b, c], pods: [p] }, 0.5, sim)).toMatchObject({ unneeded: true });
  });
});

describe('the autoscaler end to end (MockRuntime, FakeClock)', () => {
  let cluster: Cluster | undefined;
  let clock: FakeClock;
  afterEach(async () => {
    if (!cluster) return;
    await stopOnFakeClock(cluster, clock);
    cluster = undefined;
  });

  it("TriggeredScaleUp on the group a nodeSelector names; NotTriggerScaleUp with every group's reason otherwise", async () => {
    clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const runtime = new MockRuntime({ clock });
    const capacity = { cpu: '2', memory: '4Gi', pods: '110' };
    cluster = await Cluster.start({
      clock,
      cloudProvider: new LocalCloudProvider({
        loadBalancers: false,
        volumes: { memory: true },
        nodeGroups: [
          { name: 'general', min: 0, max: 2, template: { runtime, capacity, labels: { tier: 'general' } } },
          {
            name: 'gpu',
            min: 0,
            max: 2,
            template: { runtime, capacity, labels: { tier: 'gpu' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
          },
        ],
      }),
      nodes: [nodeSpec({ name: 'node-a', capacity: { cpu: '100m', memory: '1Gi', pods: '110' } }, runtime)],
    });
    const c = cluster;
    await c.apply(deployment('web', { replicas: 1, requests: { cpu: '500m' }, podSpec: { nodeSelector: { tier: 'general' } } }));
    await c.apply(deployment('ml', { replicas: 1, requests: { cpu: '500m' }, podSpec: { nodeSelector: { tier: 'gpu' } } }));
    const events = async (reason: string) => (await c.events.list('')).filter((e) => e.reason === reason);
    await c.advanceUntil(async () => (await events('TriggeredScaleUp')).length >= 1 && (await events('NotTriggerScaleUp')).length >= 1, {
      maxMs: 120_000,
    });
    const triggered = await events('TriggeredScaleUp');
    expect(triggered.map((e) => e.message)).toEqual(['pod triggered scale-up: [{general 0->1 (max: 2)}]']);
    expect(triggered[0]!.involvedObject?.name).toMatch(/^web-/);
    const not = await events('NotTriggerScaleUp');
    expect(not[0]!.involvedObject?.name).toMatch(/^ml-/);
    expect(not[0]!.message).toMatch(/^pod didn't trigger scale-up: /);
    expect(not[0]!.message).toContain("1 node(s) didn't match Pod's node affinity/selector");
    expect(not[0]!.message).toContain('1 node(s) had untolerated taint');
    await c.advanceUntil(
      async () => (await c.pods().list()).items.some((p) => p.spec?.nodeName === 'general-1' && p.status?.phase === 'Running'),
      {
        maxMs: 120_000,
      },
    );
  });
});
