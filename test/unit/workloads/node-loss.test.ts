/**
 * Node loss end to end: a killed node goes Unknown after the lease grace, gets the unreachable
 * NoExecute taint, and its pods are evicted after the default tolerationSeconds (300 s) and
 * replaced on the other nodes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../src/model/types.js';
import { deployment, isReady, podsWith, startMockCluster, untilConverged, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const readyStatus = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
const unreachableNoExecute = (n: Node) =>
  n.spec?.taints?.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');

describe('node loss on a mock cluster', () => {
  it('pods get the default not-ready/unreachable NoExecute tolerations of 300 s', async () => {
    m = await startMockCluster({ nodes: 1 });
    await m.cluster.apply(deployment('web', { replicas: 1 }));
    await untilConverged(m, 'default', 'web', 'web:1', 1);
    const [pod] = await podsWith(m.cluster, 'default', { app: 'web' });
    expect(pod.spec?.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ]),
    );
    // The template is not changed: the defaults go on pods only (admission), as in Kubernetes.
    const d = await m.cluster.deployments('default').get('web');
    expect(d.spec?.template?.spec?.tolerations).toBeUndefined();
  });

  it('a killed node goes Unknown after 40 s; its pods leave after 300 s more and come back elsewhere', async () => {
    m = await startMockCluster({ nodes: 3 });
    const { cluster, clock } = m;
    await cluster.apply(deployment('web', { replicas: 6 }));
    await untilConverged(m, 'default', 'web', 'web:1', 6);
    const onA = (await podsWith(cluster, 'default', { app: 'web' })).filter((p) => p.spec?.nodeName === 'node-a');
    expect(onA.length).toBeGreaterThan(0);
    const nodes = cluster.client<Node>('v1', 'Node');

    const killedAt = clock.nowMs();
    await cluster.killNode('node-a');
    await m!.cluster.advanceUntil(async () => readyStatus(await nodes.get('node-a')) === 'Unknown', {
      maxMs: 60_000,
      what: 'node-a Unknown',
    });
    const unknownAfter = clock.nowMs() - killedAt;
    // 40 s after the last heartbeat, which was at most one heartbeat interval (10 s) before the kill.
    expect(unknownAfter).toBeGreaterThan(30_000);
    expect(unknownAfter).toBeLessThanOrEqual(41_000);
    await m!.advance(2000);
    const node = await nodes.get('node-a');
    const taint = unreachableNoExecute(node);
    expect(taint?.timeAdded).toBeDefined();
    expect(node.spec?.taints).toContainEqual({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' });
    expect(readyStatus(await nodes.get('node-b'))).toBe('True');

    // Tolerated for 300 s: the pods stay bound to node-a (marked not Ready), nothing replaces them yet.
    const taintedAt = Date.parse(taint!.timeAdded!);
    await m!.advance(taintedAt + 295_000 - clock.nowMs(), { stepMs: 5000 });
    const during = await podsWith(cluster, 'default', { app: 'web' });
    expect(during).toHaveLength(6);
    for (const p of onA) {
      const now = during.find((q) => q.metadata.uid === p.metadata.uid) as Pod;
      expect(now?.metadata.deletionTimestamp).toBeUndefined();
      expect(isReady(now)).toBe(false);
    }

    // After 300 s they are evicted and replaced on the nodes that are left.
    await untilConverged(m, 'default', 'web', 'web:1', 6, { maxMs: 60_000 });
    const evictedAfter = clock.nowMs() - taintedAt;
    expect(evictedAfter).toBeGreaterThanOrEqual(300_000);
    const after = await podsWith(cluster, 'default', { app: 'web' });
    expect(after.every((p) => p.spec?.nodeName !== 'node-a')).toBe(true);
    expect(after.some((p) => onA.some((q) => q.metadata.uid === p.metadata.uid))).toBe(false);
    const d = await cluster.deployments('default').get('web');
    expect(d.status).toMatchObject({ replicas: 6, readyReplicas: 6, availableReplicas: 6 });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });
});
