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
