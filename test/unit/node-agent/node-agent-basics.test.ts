import { afterEach, describe, expect, it } from 'vitest';
import type { Lease, Node } from '../../../src/model/types.js';
import { cond, startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('NodeAgent: node registration and a simple pod', () => {
  it('registers the Node with labels, taints, capacity and Ready, and renews its Lease', async () => {
    h = await startHarness({
      labels: { zone: 'a' },
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      capacity: { cpu: '8' },
    });
    const node = (await h.cluster.client<Node>('v1', 'Node').get('node-a')) as Node;
    expect(node.metadata.labels).toMatchObject({ zone: 'a', 'kubernetes.io/hostname': 'node-a', 'kubernetes.io/os': 'linux' });
    expect(node.spec?.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(node.status?.capacity).toMatchObject({ cpu: '8', memory: '8Gi', pods: '110' });
    expect(node.status?.allocatable).toMatchObject({ cpu: '8' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const leases = h.cluster.client<Lease>('coordination.k8s.io/v1', 'Lease', 'kube-node-lease');
    const first = (await leases.get('node-a')) as Lease;
    expect(first.spec?.holderIdentity).toBe('node-a');
    expect(first.spec?.leaseDurationSeconds).toBe(40);
    await h.clock.advance(10_000);
    const second = (await leases.get('node-a')) as Lease;
    expect(Date.parse(second.spec!.renewTime!)).toBe(Date.parse(first.spec!.renewTime!) + 10_000);
  });

  it('writes the Node status when it differs from the reported one or every 5 minutes, not at every beat', async () => {
    h = await startHarness();
    const nodes = h.cluster.client<Node>('v1', 'Node');
    const ready = async () => (await nodes.get('node-a')).status?.conditions?.find((c) => c.type === 'Ready');
    const registered = (await ready())!;
    await h.tick(60_000, 10_000);
    // As the kubelet's nodeStatusReportFrequency: the Lease is the heartbeat; an unchanged status is not rewritten.
    expect((await ready())?.lastHeartbeatTime).toBe(registered.lastHeartbeatTime);
    // Another writer (the node controller) marks the node Unknown: the next beat reports Ready again.
    const node = await nodes.get('node-a');
    await nodes.updateStatus({
      ...node,
      status: {
        ...node.status,
        conditions: node.status?.conditions?.map((c) =>
          c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c,
        ),
      },
    });
    await h.tick(10_000, 10_000);
    expect((await ready())?.status).toBe('True');
    const rewritten = (await ready())!;
    expect(Date.parse(rewritten.lastHeartbeatTime!)).toBeGreaterThan(Date.parse(registered.lastHeartbeatTime!));
    await h.tick(290_000, 10_000);
    expect((await ready())?.lastHeartbeatTime).toBe(rewritten.lastHeartbeatTime);
    await h.tick(10_000, 10_000);
    expect(Date.parse((await ready())!.lastHeartbeatTime!)).toBe(Date.parse(rewritten.lastHeartbeatTime!) + 300_000);
  });

  it('runs a pod and reports Running and Ready with its IP and container status', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    const pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Running');
    expect(cond(pod, 'Ready')).toBe('True');
    expect(cond(pod, 'ContainersReady')).toBe('True');
    expect(cond(pod, 'Initialized')).toBe('True');
    expect(pod.status?.podIP).toMatch(/^10\./);
    expect(pod.status?.startTime).toBe('2026-01-01T00:00:00Z');
    expect(pod.status?.qosClass).toBe('BestEffort');
    const cs = pod.status?.containerStatuses?.[0];
    expect(stateOf(cs)).toBe('running');
    expect(cs?.ready).toBe(true);
    expect(cs?.restartCount).toBe(0);
    expect(cs?.containerID).toMatch(/^mock:\/\//);
    expect(h.runtime.containers({ namespace: 'default', pod: 'web' })).toHaveLength(1);
  });

  it('a pod of a container that exits 0 with restartPolicy Never ends Succeeded', async () => {
    h = await startHarness();
    h.runtime.image('job:1', { exitAfterMs: 5000, exitCode: 0 });
    await h.run('job', { restartPolicy: 'Never', containers: [{ name: 'job', image: 'job:1' }] });
    expect((await h.pod('job')).status?.phase).toBe('Running');
    await h.clock.advance(5000);
    const pod = await h.pod('job');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('terminated:Completed');
    expect(cond(pod, 'Ready')).toBe('False');
  });
});
