/**
 * A node agent restarted while its pods run (a kubelet restart): the new agent adopts the
 * running containers by their labels and starts no duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { NodeAgent } from '../../../src/node-agent/node-agent.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/index.js';
import { dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import {
  appContainers,
  clusterLeftovers,
  httpdDeployment,
  httpGet,
  podReady,
  podsOf,
  removeLeftovers,
  rolledOut,
  startDockerCluster,
} from '../../support/docker-cluster.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-agent-restart');

describe.skipIf(!docker)('a node agent restarted on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;
  let second: NodeAgent | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
  });
  afterAll(async () => {
    await second?.stop();
    await cluster?.stop();
    await removeLeftovers(name);
  });

  const sandboxIds = async (): Promise<string[]> =>
    (
      await dockerClient().listContainers({
        all: true,
        filters: { label: [`${RUNTIME_LABELS.cluster}=${name}`, `${RUNTIME_LABELS.role}=sandbox`] },
      })
    )
      .map((c) => c.Id)
      .sort();

  it('adopts the running containers of its pods and starts no duplicates', async () => {
    await cluster!.apply(httpdDeployment('web', 3));
    await rolledOut(cluster!, 'web');
    const before = (await appContainers(name)).map((c) => c.id).sort();
    const sandboxesBefore = await sandboxIds();
    expect(before).toHaveLength(3);
    expect(sandboxesBefore).toHaveLength(3);

    // The agent goes away without touching its containers (as a crashed kubelet would)...
    await cluster!.nodePool.get('node-1').stop();
    expect((await appContainers(name)).map((c) => c.id).sort()).toEqual(before);

    // ...and a new agent of the same running cluster (its instance), with no memory of the old
    // one, on a new runtime client, takes over.
    second = new NodeAgent(cluster!.context, {
      name: 'node-1',
      runtime: new DockerRuntime(),
      clusterName: name,
      instance: cluster!.nodePool.instance,
    });
    await second.start();

    // A scale-up is a barrier: once the new agent ran the 4th pod, it has synced the other three.
    await cluster!.scale('default', 'Deployment', 'web', 4);
    await rolledOut(cluster!, 'web');
    const pods = await podsOf(cluster!, 'web');
    expect(pods).toHaveLength(4);
    expect(pods.every(podReady)).toBe(true);

    const after = await appContainers(name);
    const afterIds = after.map((c) => c.id);
    for (const id of before) expect(afterIds).toContain(id); // the same containers, adopted
    expect(after).toHaveLength(4); // one new for the 4th pod, no duplicates
    expect(after.every((c) => c.state === 'running')).toBe(true);
    expect(new Set(after.map((c) => c.podUid)).size).toBe(4);
    const sandboxesAfter = await sandboxIds();
    expect(sandboxesAfter).toHaveLength(4);
    for (const id of sandboxesBefore) expect(sandboxesAfter).toContain(id);

    // The adopted pods were never restarted, and still serve.
    for (const pod of pods) {
      expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
      expect((await httpGet(pod.status?.podIP ?? '', 8080)).body.trim()).toBe('tugboat 1');
    }
  });

  it('after the restart, cluster.stop() still removes everything', async () => {
    await second!.stop();
    second = undefined;
    await cluster!.stop();
    cluster = undefined;
    expect(await clusterLeftovers(name)).toEqual([]);
  });
});
