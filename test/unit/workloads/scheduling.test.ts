/**
 * Scheduling end to end: anti-affinity, topology spread, nodeSelector, taints and resources
 * place a Deployment's pods as kube-scheduler would, with its messages for pods that do not fit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import {
  ZONE_LABEL,
  deployment,
  isReady,
  nodeSpec,
  podsWith,
  setImage,
  startMockCluster,
  untilConverged,
  type MockCluster,
} from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const scheduled = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');
/** How many pods each node (or, with `zoneOf`, each zone) runs. */
function countBy(pods: Pod[], key: (p: Pod) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) {
    const k = key(p) ?? '<pending>';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
const noVictims = (n: number) => ` preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`;

async function untilPendingReported(cluster: MockCluster, app: string, n = 1): Promise<Pod[]> {
  let pending: Pod[] = [];
  await cluster.cluster.advanceUntil(
    async () => {
      pending = (await podsWith(cluster.cluster, 'default', { app })).filter((p) => !p.spec?.nodeName && scheduled(p)?.status === 'False');
      return pending.length === n;
    },
    { maxMs: 30_000, what: `${n} unschedulable pod(s) of ${app}` },
  );
  return pending;
}

describe('scheduling on a mock cluster', () => {
  it("required anti-affinity on hostname: one pod per node, the 4th Pending with kube-scheduler's message", async () => {
    m = await startMockCluster({ nodes: 3 });
    const antiAffinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    await m.cluster.apply(deployment('web', { replicas: 4, podSpec: { affinity: antiAffinity } }));
    const [pending] = await untilPendingReported(m, 'web');
    const pods = await podsWith(m.cluster, 'default', { app: 'web' });
    expect(countBy(pods, (p) => p.spec?.nodeName)).toEqual({ 'node-a': 1, 'node-b': 1, 'node-c': 1, '<pending>': 1 });
    expect(pending.status?.phase).toBe('Pending');
    expect(scheduled(pending)).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules." + noVictims(3),
    });
    const events = (await m.cluster.events.list('default')).filter(
      (e) => e.reason === 'FailedScheduling' && e.involvedObject?.name === pending.metadata.name,
    );
    expect(events.length).toBeGreaterThan(0);
    // A fourth node lets the pending replica in (the queue retries on cluster change).
    await m.cluster.addNode(nodeSpec({ name: 'node-d' }, m.runtime));
    await untilConverged(m, 'default', 'web', 'web:1', 4);
    expect(countBy(await podsWith(m.cluster, 'default', { app: 'web' }), (p) => p.spec?.nodeName)).toEqual({
      'node-a': 1,
      'node-b': 1,
      'node-c': 1,
      'node-d': 1,
    });
  });

  it('topology spread maxSkew 1 over zones places 6 pods 2/2/2 even when one zone has most nodes', async () => {
    const nodes = [
      { name: 'a1', zone: 'a' },
      { name: 'a2', zone: 'a' },
      { name: 'a3', zone: 'a' },
      { name: 'a4', zone: 'a' },
      { name: 'b1', zone: 'b' },
      { name: 'c1', zone: 'c' },
    ];
    m = await startMockCluster({ nodes });
    const spread = [
      { maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
    ];
    await m.cluster.apply(deployment('web', { replicas: 6, podSpec: { topologySpreadConstraints: spread } }));
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    const zoneOf = (p: Pod) => nodes.find((n) => n.name === p.spec?.nodeName)?.zone;
    expect(countBy(await podsWith(m.cluster, 'default', { app: 'web' }), zoneOf)).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('nodeSelector and taints: a gpu-tainted node gets no pod without a toleration', async () => {
    m = await startMockCluster({
      nodes: [
        { name: 'plain-1', labels: { disk: 'ssd' } },
        { name: 'plain-2' },
        { name: 'gpu', labels: { disk: 'ssd', accelerator: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      ],
    });
    await m.cluster.apply(deployment('web', { replicas: 6 }));
    await m.cluster.apply(deployment('db', { replicas: 3, podSpec: { nodeSelector: { disk: 'ssd' } } }));
    await m.cluster.apply(
      deployment('train', {
        replicas: 2,
        podSpec: {
          nodeSelector: { accelerator: 'gpu' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
        },
      }),
    );
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    await untilConverged(m, 'default', 'db', 'web:1', 3);
    await untilConverged(m, 'default', 'train', 'web:1', 2);
    const web = countBy(await podsWith(m.cluster, 'default', { app: 'web' }), (p) => p.spec?.nodeName);
    expect(web.gpu).toBeUndefined();
    expect(web['plain-1'] + web['plain-2']).toBe(6);
    expect(countBy(await podsWith(m.cluster, 'default', { app: 'db' }), (p) => p.spec?.nodeName)).toEqual({ 'plain-1': 3 });
    expect(countBy(await podsWith(m.cluster, 'default', { app: 'train' }), (p) => p.spec?.nodeName)).toEqual({ gpu: 2 });

    // Without the toleration, a gpu-only pod stays Pending with both reasons counted per node.
    await m.cluster.apply(deployment('notol', { replicas: 1, podSpec: { nodeSelector: { accelerator: 'gpu' } } }));
    const [p] = await untilPendingReported(m, 'notol');
    expect(scheduled(p)?.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('insufficient cpu leaves a pod Pending (Unschedulable, with the message) until a node with room joins', async () => {
    m = await startMockCluster({ nodes: 2, capacity: { cpu: '1', memory: '4Gi', pods: '110' } });
    await m.cluster.apply(deployment('big', { replicas: 1, requests: { cpu: '2' } }));
    const [p] = await untilPendingReported(m, 'big');
    expect(p.status?.phase).toBe('Pending');
    expect(scheduled(p)).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: '0/2 nodes are available: 2 Insufficient cpu.' + noVictims(2),
    });
    await m.advance(30_000, { stepMs: 5000 });
    expect((await m.cluster.pods('default').get(p.metadata.name!)).spec?.nodeName).toBeUndefined();

    await m.cluster.addNode(nodeSpec({ name: 'roomy', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }, m.runtime));
    await m.cluster.settled();
    await untilConverged(m, 'default', 'big', 'web:1', 1, { maxMs: 60_000 });
    const [running] = await podsWith(m.cluster, 'default', { app: 'big' });
    expect(running.metadata.uid).toBe(p.metadata.uid);
    expect(running.spec?.nodeName).toBe('roomy');
    expect(isReady(running)).toBe(true);
    expect(scheduled(running)?.status).toBe('True');
  });
});

describe('scheduling during rollouts and under pressure', () => {
  it('anti-affinity rollout with maxSurge 0 / maxUnavailable 1 completes: a new pod waits for the old one to be gone', async () => {
    m = await startMockCluster({ nodes: 3 });
    m.runtime.image('web:1', { readyAfterMs: 1000, stopMs: 4000 });
    m.runtime.image('web:2', { readyAfterMs: 1000 });
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    await m.cluster.apply(
      deployment('web', {
        replicas: 3,
        podSpec: { affinity },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      }),
    );
    await untilConverged(m, 'default', 'web', 'web:1', 3);
    await setImage(m.cluster, 'default', 'web', 'web:2');
    await untilConverged(m, 'default', 'web', 'web:2', 3, { maxMs: 120_000 });
    expect(countBy(await podsWith(m.cluster, 'default', { app: 'web' }), (p) => p.spec?.nodeName)).toEqual({
      'node-a': 1,
      'node-b': 1,
      'node-c': 1,
    });
  });

  /*
   * Needs the Priority admission (spec.priority from the PriorityClass on every pod) and the
   * nominated-node hold (the room a preemption makes is kept for the preemptor, not taken by the
   * victims' replacements).
   */
  it('preemption: a high-priority Deployment evicts low-priority pods from a full cluster', async () => {
    m = await startMockCluster({ nodes: 2, capacity: { cpu: '2', memory: '4Gi', pods: '110' } });
    await m.cluster.apply([
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
    ]);
    await m.cluster.apply(deployment('batch', { replicas: 4, requests: { cpu: '1' }, podSpec: { priorityClassName: 'low' } }));
    await untilConverged(m, 'default', 'batch', 'web:1', 4);
    expect((await podsWith(m.cluster, 'default', { app: 'batch' })).map((p) => p.spec?.priority)).toEqual([10, 10, 10, 10]);
    await m.cluster.apply(deployment('api', { replicas: 2, requests: { cpu: '1' }, podSpec: { priorityClassName: 'high' } }));
    await untilConverged(m, 'default', 'api', 'web:1', 2, { maxMs: 120_000 });
    const batch = await podsWith(m.cluster, 'default', { app: 'batch' });
    expect(batch.filter((p) => p.spec?.nodeName && !p.metadata.deletionTimestamp)).toHaveLength(2);
    const pending = batch.filter((p) => !p.spec?.nodeName);
    expect(pending).toHaveLength(2);
    expect(pending.every((p) => scheduled(p)?.reason === 'Unschedulable')).toBe(true);
    // And it stays so: no preemption churn among equal-priority pods.
    await m.advance(60_000, { stepMs: 5000 });
    const events = (await m.cluster.events.list('default')).filter((e) => e.reason === 'Preempted');
    expect(events.every((e) => e.involvedObject?.name?.startsWith('batch-'))).toBe(true);
    expect(events).toHaveLength(2);
  });
});

describe('scale-down of partly scheduled Deployments', () => {
  it('scaling down deletes the unscheduled pod first', async () => {
    m = await startMockCluster({ nodes: 2 });
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    await m.cluster.apply(deployment('web', { replicas: 3, podSpec: { affinity } }));
    const [pending] = await untilPendingReported(m, 'web');
    const running = (await podsWith(m.cluster, 'default', { app: 'web' })).filter((p) => p.spec?.nodeName).map((p) => p.metadata.uid);
    await m.cluster.scale('default', 'Deployment', 'web', 2);
    await untilConverged(m, 'default', 'web', 'web:1', 2);
    const left = await podsWith(m.cluster, 'default', { app: 'web' });
    expect(left.map((p) => p.metadata.uid).sort()).toEqual(running.sort());
    expect(left.some((p) => p.metadata.uid === pending.metadata.uid)).toBe(false);
  });
});
