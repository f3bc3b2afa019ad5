/**
 * The cluster autoscaler on real Docker: LocalNodeGroups with a Docker template. A pod pending
 * for lack of cpu makes the group grow (TriggeredScaleUp); the new node pool-1 runs it in a real
 * container that answers HTTP; once the pod could move back and pool-1 has been unneeded for the
 * (shortened) scale-down-unneeded-time, pool-1 is drained through the eviction API (the pod is
 * recreated on node-1) and removed, its containers gone, while another cluster's node of the
 * same name, on the same daemon, keeps running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { LocalCloudProvider } from '../../../src/cloud-providers/local/index.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/index.js';
import type { Deployment } from '../../../src/model/types.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import { appContainers, eventually, httpdDeployment, httpGet, podsOf, removeLeftovers, rolledOut } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('local-node-groups');
const otherName = testClusterName('local-node-groups-other');

/** A busybox httpd Deployment whose pods request `cpu`. */
function web(app: string, replicas: number, cpu: string): Deployment {
  const d = httpdDeployment(app, replicas);
  const container = d.spec!.template.spec!.containers[0]!;
  return {
    ...d,
    spec: {
      ...d.spec!,
      template: {
        ...d.spec!.template,
        spec: { ...d.spec!.template.spec!, containers: [{ ...container, resources: { requests: { cpu } } }] },
      },
    },
  };
}

describe.skipIf(!docker)('the cluster autoscaler over Docker node groups', { timeout: 240_000 }, () => {
  let cluster: Cluster | undefined;
  let other: Cluster | undefined;

  beforeAll(async () => {
    await Promise.all([removeLeftovers(name), removeLeftovers(otherName)]);
    // Another cluster on the same daemon, with a node of the very name the group will use.
    other = await Cluster.start({ name: otherName, nodes: [{ name: 'pool-1', runtime: new DockerRuntime() }] });
    await other.apply(httpdDeployment('bystander', 1));
    await rolledOut(other, 'bystander');
    cluster = await Cluster.start({
      name,
      nodes: [{ name: 'node-1', runtime: new DockerRuntime(), capacity: { cpu: '500m', memory: '2Gi', pods: '20' } }],
      cloudProvider: new LocalCloudProvider({
        loadBalancers: false,
        nodeGroups: [
          {
            name: 'pool',
            min: 0,
            max: 2,
            template: { runtime: () => new DockerRuntime(), capacity: { cpu: '2', memory: '4Gi', pods: '20' } },
          },
        ],
      }),
      clusterAutoscaler: { scaleDownUnneededTimeMs: 3000, scaleDownDelayAfterAddMs: 3000 },
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    await other?.stop();
    await Promise.all([removeLeftovers(name), removeLeftovers(otherName)]);
  });

  it('a pod pending for lack of cpu grows the group; it runs on the new node in a real container', async () => {
    await cluster!.apply(web('filler', 1, '400m'));
    await rolledOut(cluster!, 'filler');
    await cluster!.apply(web('web', 1, '300m'));
    await rolledOut(cluster!, 'web', 120_000);
    const [pod] = await podsOf(cluster!, 'web');
    expect(pod!.spec!.nodeName).toBe('pool-1');
    const triggered = (await cluster!.events.list('default')).filter((e) => e.reason === 'TriggeredScaleUp');
    expect(triggered.map((e) => e.message)).toEqual(['pod triggered scale-up: [{pool 0->1 (max: 2)}]']);
    const onPool = (await appContainers(name)).filter((c) => c.node === 'pool-1');
    expect(onPool.map((c) => [c.podName, c.state])).toEqual([[pod!.metadata.name, 'running']]);
    expect((await httpGet(pod!.status!.podIP!, 8080)).body.trim()).toBe('tugboat 1');
  });

  it('idle for the unneeded time, the node is drained through the eviction API and removed; nothing of the other cluster is touched', async () => {
    const [before] = await podsOf(cluster!, 'web');
    // The filler goes: web could now run on node-1, and pool-1 (15% used) is unneeded.
    await cluster!.deployments().delete('filler');
    await eventually(async () => (await cluster!.nodes().find('pool-1')) === undefined, 'pool-1 removed', 120_000);
    const [after] = await eventually(async () => {
      const pods = (await podsOf(cluster!, 'web')).filter((p) => p.status?.phase === 'Running');
      return pods.length === 1 && pods[0]!.metadata.uid !== before!.metadata.uid ? pods : undefined;
    }, 'web recreated');
    expect(after!.spec!.nodeName).toBe('node-1');
    const events = await cluster!.events.list('');
    expect(events.some((e) => e.reason === 'ScaleDown' && e.involvedObject?.name === 'pool-1')).toBe(true);
    expect(events.some((e) => e.reason === 'ScaleDown' && e.message === 'Scale-down: node pool-1 removed with drain')).toBe(true);
    // The pod was told it goes for the scale-down (then evicted by the drain), and nothing of pool-1 is left on the daemon.
    expect(events.some((e) => e.reason === 'ScaleDown' && e.involvedObject?.uid === before!.metadata.uid)).toBe(true);
    expect((await appContainers(name)).filter((c) => c.node === 'pool-1')).toEqual([]);
    // Its pod sandboxes too: nothing on the daemon is labelled with this cluster and pool-1.
    const labels = [`${RUNTIME_LABELS.cluster}=${name}`, `${RUNTIME_LABELS.node}=pool-1`];
    expect(await dockerClient().listContainers({ all: true, filters: { label: labels } })).toEqual([]);
    const status = (await cluster!.configMaps('kube-system').get('cluster-autoscaler-status')).data?.status ?? '';
    expect(status).toContain('cloudProviderTarget: 0');
    // The other cluster's pool-1 still runs its pod.
    const theirs = await appContainers(otherName);
    expect(theirs.map((c) => [c.node, c.state])).toEqual([['pool-1', 'running']]);
  });
});
