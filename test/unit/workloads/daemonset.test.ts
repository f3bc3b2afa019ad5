/**
 * DaemonSets end to end on a mock cluster: one pod per eligible node (nodeSelector, taints and
 * tolerations, the daemon tolerations), nodes joining and leaving, rolling updates bounded by
 * maxUnavailable and with maxSurge, OnDelete, ControllerRevisions and status counters, on a
 * FakeClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet, Pod, core } from '../../../src/model/types.js';
import { isReady, nodeSpec, startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

function daemonSet(
  name: string,
  f: {
    image?: string;
    podSpec?: Partial<core.PodSpec>;
    updateStrategy?: NonNullable<DaemonSet['spec']>['updateStrategy'];
    minReadySeconds?: number;
  } = {},
): DaemonSet {
  const container: core.Container = {
    name: 'agent',
    image: f.image ?? 'agent:1',
    readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container], ...(f.podSpec ?? {}) } },
      ...(f.updateStrategy ? { updateStrategy: f.updateStrategy } : {}),
      ...(f.minReadySeconds !== undefined ? { minReadySeconds: f.minReadySeconds } : {}),
    },
  };
}

const getDs = (name: string) => m!.cluster.client<DaemonSet>('apps/v1', 'DaemonSet', 'default').get(name);
const podsOf = async (name: string): Promise<Pod[]> => (await m!.cluster.pods('default').list({ labelSelector: `app=${name}` })).items;
const live = (pods: Pod[]) =>
  pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
const nodesOf = (pods: Pod[]) =>
  live(pods)
    .map((p) => p.spec?.nodeName ?? '?')
    .sort();
const setImage = (name: string, image: string) =>
  m!.cluster
    .client<DaemonSet>('apps/v1', 'DaemonSet', 'default')
    .patch(name, { spec: { template: { spec: { containers: [{ name: 'agent', image }] } } } }, 'strategic');

async function untilReadyEverywhere(name: string, nodes: string[], image = 'agent:1'): Promise<void> {
  await m!.cluster.advanceUntil(
    async () => {
      const pods = live(await podsOf(name));
      return (
        JSON.stringify(nodesOf(pods)) === JSON.stringify(nodes) && pods.every((p) => isReady(p) && p.spec?.containers[0].image === image)
      );
    },
    { what: `${name} ready on ${nodes.join(',')} with ${image}` },
  );
}

describe('DaemonSet on a mock cluster', () => {
  it('runs one pod on every node, placed by the scheduler through node affinity, with the daemon tolerations and labels', async () => {
    m = await startMockCluster({ nodes: 3 });
    await m.cluster.apply(daemonSet('agent'));
    await untilReadyEverywhere('agent', ['node-a', 'node-b', 'node-c']);
    const ds = await getDs('agent');
    await m!.cluster.advanceUntil(async () => (await getDs('agent')).status?.numberAvailable === 3, { what: 'status' });
    const [cr] = (await m.cluster.client<ControllerRevision>('apps/v1', 'ControllerRevision', 'default').list()).items;
    expect(cr.revision).toBe(1);
    const hash = cr.metadata.labels?.['controller-revision-hash'];
    expect(cr.metadata.name).toBe(`agent-${hash}`);
    for (const p of await podsOf('agent')) {
      expect(p.metadata.labels).toMatchObject({ 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true });
      expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] },
      ]);
      const keys = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
      expect(keys).toEqual(
        expect.arrayContaining([
          'node.kubernetes.io/not-ready:NoExecute',
          'node.kubernetes.io/unreachable:NoExecute',
          'node.kubernetes.io/disk-pressure:NoSchedule',
          'node.kubernetes.io/memory-pressure:NoSchedule',
          'node.kubernetes.io/pid-pressure:NoSchedule',
          'node.kubernetes.io/unschedulable:NoSchedule',
        ]),
      );
      expect(keys).not.toContain('node.kubernetes.io/network-unavailable:NoSchedule');
      expect(p.spec?.tolerations?.find((t) => t.key === 'node.kubernetes.io/not-ready')?.tolerationSeconds).toBeUndefined();
    }
    expect((await getDs('agent')).status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      numberAvailable: 3,
      numberUnavailable: 0,
      numberMisscheduled: 0,
      updatedNumberScheduled: 3,
      observedGeneration: ds.metadata.generation,
    });
  });

  it('skips a tainted node unless the template tolerates the taint, and follows nodeSelector', async () => {
    m = await startMockCluster({
      nodes: [
        { name: 'node-a', labels: { disk: 'ssd' } },
        { name: 'node-b', labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
        { name: 'node-c' },
      ],
    });
    await m.cluster.apply(daemonSet('plain'));
    await m.cluster.apply(
      daemonSet('tolerant', { podSpec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] } }),
    );
    await m.cluster.apply(daemonSet('ssd', { podSpec: { nodeSelector: { disk: 'ssd' }, tolerations: [{ operator: 'Exists' }] } }));
    await untilReadyEverywhere('plain', ['node-a', 'node-c']);
    await untilReadyEverywhere('tolerant', ['node-a', 'node-b', 'node-c']);
    await untilReadyEverywhere('ssd', ['node-a', 'node-b']);
    await m!.cluster.advanceUntil(async () => (await getDs('plain')).status?.desiredNumberScheduled === 2, { what: 'plain status' });
    // A cordoned node keeps its daemon pods and takes new ones (unschedulable is tolerated).
    await m.cluster.client('v1', 'Node').patch('node-c', { spec: { unschedulable: true } }, 'merge');
    await m.cluster.apply(daemonSet('late'));
    await untilReadyEverywhere('late', ['node-a', 'node-c']);
    expect(nodesOf(await podsOf('plain'))).toEqual(['node-a', 'node-c']);
  });

  it('gives a joining node its pod and drops the pod of a node that leaves; a node that stops fitting loses its pod', async () => {
    m = await startMockCluster({ nodes: 2 });
    await m.cluster.apply(daemonSet('agent'));
    await untilReadyEverywhere('agent', ['node-a', 'node-b']);
    await m.cluster.addNode(nodeSpec({ name: 'node-c' }, m.runtime));
    await untilReadyEverywhere('agent', ['node-a', 'node-b', 'node-c']);
    await m.cluster.removeNode('node-a');
    await m!.cluster.advanceUntil(async () => JSON.stringify(nodesOf(await podsOf('agent'))) === '["node-b","node-c"]', {
      what: 'pod of node-a gone',
    });
    await m.advance(10_000);
    expect(nodesOf(await podsOf('agent'))).toEqual(['node-b', 'node-c']);
    // An untolerated NoExecute taint evicts the daemon pod; NoSchedule alone would not.
    await m.cluster.client('v1', 'Node').patch('node-b', { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }, 'merge');
    await m.advance(5000);
    expect(nodesOf(await podsOf('agent'))).toEqual(['node-b', 'node-c']);
    expect((await getDs('agent')).status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 1 });
    await m.cluster.client('v1', 'Node').patch('node-b', { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } }, 'merge');
    await m!.cluster.advanceUntil(async () => JSON.stringify(nodesOf(await podsOf('agent'))) === '["node-c"]', {
      what: 'pod of node-b evicted',
    });
    // Labels that stop matching nodeSelector remove the pod too.
    await m.cluster.apply(daemonSet('picky', { podSpec: { nodeSelector: { role: 'edge' } } }));
    await m.cluster.client('v1', 'Node').patch('node-c', { metadata: { labels: { role: 'edge' } } }, 'merge');
    await untilReadyEverywhere('picky', ['node-c']);
    await m.cluster.client('v1', 'Node').patch('node-c', { metadata: { labels: { role: null } } }, 'merge');
    await m!.cluster.advanceUntil(async () => live(await podsOf('picky')).length === 0, { what: 'picky pod removed' });
  });

  it('rolls out a new template never exceeding maxUnavailable, checked at every step', async () => {
    m = await startMockCluster({ nodes: 5 });
    m.runtime.image('agent:2', { readyAfterMs: 3000 });
    await m.cluster.apply(daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }));
    await untilReadyEverywhere('agent', ['node-a', 'node-b', 'node-c', 'node-d', 'node-e']);
    await setImage('agent', 'agent:2');
    let worst = 0;
    let maxPerNode = 0;
    // Checked at every step of fake time: the predicate runs after each settled step.
    await m.cluster.advanceUntil(
      async () => {
        const pods = live(await podsOf('agent'));
        const readyNodes = new Set(pods.filter(isReady).map((p) => p.spec?.nodeName));
        worst = Math.max(worst, 5 - readyNodes.size);
        const per = new Map<string, number>();
        for (const p of pods) per.set(p.spec?.nodeName ?? '', (per.get(p.spec?.nodeName ?? '') ?? 0) + 1);
        maxPerNode = Math.max(maxPerNode, ...per.values());
        return pods.length === 5 && pods.every((p) => isReady(p) && p.spec?.containers[0].image === 'agent:2');
      },
      { what: 'rolled out', maxMs: 120_000 },
    );
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(2);
    expect(maxPerNode).toBe(1);
    const ds = await getDs('agent');
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
    const revs = (await m.cluster.client<ControllerRevision>('apps/v1', 'ControllerRevision', 'default').list()).items
      .map((r) => r.revision)
      .sort();
    expect(revs).toEqual([1, 2]);
    for (const p of await podsOf('agent')) expect(p.metadata.labels?.['pod-template-generation']).toBe('2');
    await m.cluster.advanceUntil(
      async () => (await getDs('agent')).status?.updatedNumberScheduled === 5 && (await getDs('agent')).status?.numberAvailable === 5,
      { what: 'status' },
    );
  });

  it('with maxSurge starts the new pod beside the old one and removes the old one once the new is available', async () => {
    m = await startMockCluster({ nodes: 3 });
    m.runtime.image('agent:2', { readyAfterMs: 3000 });
    await m.cluster.apply(
      daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
    );
    await untilReadyEverywhere('agent', ['node-a', 'node-b', 'node-c']);
    await setImage('agent', 'agent:2');
    let minReadyNodes = 3;
    let maxPods = 0;
    let maxPerNode = 0;
    await m.cluster.advanceUntil(
      async () => {
        const pods = live(await podsOf('agent'));
        minReadyNodes = Math.min(minReadyNodes, new Set(pods.filter(isReady).map((p) => p.spec?.nodeName)).size);
        maxPods = Math.max(maxPods, pods.length);
        const per = new Map<string, number>();
        for (const p of pods) per.set(p.spec?.nodeName ?? '', (per.get(p.spec?.nodeName ?? '') ?? 0) + 1);
        maxPerNode = Math.max(maxPerNode, ...per.values());
        return pods.length === 3 && pods.every((p) => isReady(p) && p.spec?.containers[0].image === 'agent:2');
      },
      { what: 'surged out', maxMs: 120_000 },
    );
    expect(minReadyNodes).toBe(3);
    expect(maxPods).toBe(4);
    expect(maxPerNode).toBe(2);
  });

  it('OnDelete replaces a pod with the new template only when it is deleted', async () => {
    m = await startMockCluster({ nodes: 2 });
    await m.cluster.apply(daemonSet('agent', { updateStrategy: { type: 'OnDelete' } }));
    await untilReadyEverywhere('agent', ['node-a', 'node-b']);
    await setImage('agent', 'agent:2');
    await m.advance(10_000);
    expect(live(await podsOf('agent')).map((p) => p.spec?.containers[0].image)).toEqual(['agent:1', 'agent:1']);
    expect((await getDs('agent')).status).toMatchObject({ updatedNumberScheduled: 0, desiredNumberScheduled: 2 });
    const victim = live(await podsOf('agent')).find((p) => p.spec?.nodeName === 'node-a')!;
    await m.cluster.pods('default').delete(victim.metadata.name ?? '', { gracePeriodSeconds: 0 });
    await m.cluster.advanceUntil(
      async () => {
        const pods = live(await podsOf('agent'));
        return (
          pods.length === 2 && pods.some((p) => p.spec?.nodeName === 'node-a' && p.spec?.containers[0].image === 'agent:2' && isReady(p))
        );
      },
      { what: 'node-a replaced' },
    );
    expect(live(await podsOf('agent')).find((p) => p.spec?.nodeName === 'node-b')?.spec?.containers[0].image).toBe('agent:1');
    await m!.cluster.advanceUntil(async () => (await getDs('agent')).status?.updatedNumberScheduled === 1, { what: 'status' });
  });

  it('counts available pods only after minReadySeconds', async () => {
    m = await startMockCluster({ nodes: 2 });
    await m.cluster.apply(daemonSet('agent', { minReadySeconds: 30 }));
    await untilReadyEverywhere('agent', ['node-a', 'node-b']);
    await m!.cluster.advanceUntil(async () => (await getDs('agent')).status?.numberReady === 2, { what: 'ready' });
    expect((await getDs('agent')).status).toMatchObject({ numberAvailable: 0, numberUnavailable: 2 });
    await m!.cluster.advanceUntil(async () => (await getDs('agent')).status?.numberAvailable === 2, { what: 'available', maxMs: 40_000 });
    expect((await getDs('agent')).status?.numberUnavailable).toBe(0);
  });
});
