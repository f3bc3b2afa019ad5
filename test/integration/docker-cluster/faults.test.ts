/**
 * Faults on Docker, each leaving nothing behind (containers, volumes, networks, state folders):
 * a pod whose sandbox is killed, restarted or removed heals as under the kubelet (a new
 * sandbox, its containers recreated, restartCount rising); stop() right after apply leaks
 * nothing; killNode then stop() cleans the dead node too.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import {
  clusterLeftovers,
  eventually,
  httpdDeployment,
  httpGet,
  podReady,
  podsOf,
  removeLeftovers,
  rolledOut,
  startDockerCluster,
} from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-faults');

/** Everything a cluster left: Docker objects by its name, and its instance's state folder. */
async function leftovers(cluster: Cluster): Promise<string[]> {
  const folder = path.join(os.tmpdir(), 'tugboat-docker', cluster.nodePool.instance.id);
  return [
    ...(await clusterLeftovers(name)),
    ...(existsSync(folder) ? [`folder ${folder}`] : []),
    ...(existsSync(cluster.nodePool.instance.owner.record) ? ['instance record'] : []),
  ];
}

/** The pod's sandbox and app container ids, as Docker has them. */
async function dockerIds(pod: Pod): Promise<{ sandbox: string; app: string }> {
  const list = await dockerClient().listContainers({ all: true, filters: { label: [`${RUNTIME_LABELS.podUid}=${pod.metadata.uid}`] } });
  const running = list.filter((c) => c.State === 'running');
  return {
    sandbox: running.find((c) => c.Labels[RUNTIME_LABELS.role] === 'sandbox')?.Id ?? '',
    app: running.find((c) => c.Labels[RUNTIME_LABELS.role] === 'container')?.Id ?? '',
  };
}

/** Waits until the Deployment's one pod is Ready, restarted more than `restarts` times, and serves. */
async function healed(cluster: Cluster, restarts: number): Promise<Pod> {
  return eventually(
    async () => {
      const [pod] = await podsOf(cluster, 'web');
      const count = pod?.status?.containerStatuses?.[0]?.restartCount ?? 0;
      if (!pod || !podReady(pod) || count <= restarts) return undefined;
      const res = await httpGet(pod.status?.podIP ?? '', 8080, '/', 1000);
      return res.body.trim() === 'tugboat 1' ? pod : undefined;
    },
    `the pod healed past restart ${restarts}`,
    90_000,
  );
}

describe.skipIf(!docker)('faults on Docker', { timeout: 240_000 }, () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('a killed, restarted or removed sandbox is recreated with the containers, restartCount rising; nothing is left', async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
    await cluster.apply(httpdDeployment('web', 1));
    await rolledOut(cluster, 'web');
    let [pod] = await podsOf(cluster, 'web');
    const uid = pod.metadata.uid;
    const faults: Array<[string, (ids: { sandbox: string; app: string }) => Promise<unknown>]> = [
      ['docker kill of the sandbox', (ids) => dockerClient().getContainer(ids.sandbox).kill()],
      ['docker restart of the sandbox', (ids) => dockerClient().getContainer(ids.sandbox).restart({ t: 0 })],
      [
        'docker rm -f of the sandbox and the app container',
        async (ids) => {
          await dockerClient().getContainer(ids.app).remove({ force: true });
          await dockerClient().getContainer(ids.sandbox).remove({ force: true });
        },
      ],
    ];
    for (const [what, fault] of faults) {
      const restarts = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
      const before = await dockerIds(pod);
      expect(before.sandbox, what).not.toBe('');
      await fault(before);
      pod = await healed(cluster, restarts);
      expect(pod.metadata.uid, what).toBe(uid); // healed in place, not replaced
      const after = await dockerIds(pod);
      expect(after.sandbox, what).not.toBe(before.sandbox);
      expect(after.app, what).not.toBe(before.app);
      // One sandbox runs for the pod; at most the replaced ones wait, stopped, for the pod's removal.
      const sandboxes = await dockerClient().listContainers({
        filters: { label: [`${RUNTIME_LABELS.podUid}=${uid}`, `${RUNTIME_LABELS.role}=sandbox`] },
      });
      expect(sandboxes, what).toHaveLength(1);
    }
    await cluster.stop();
    expect(await leftovers(cluster)).toEqual([]);
    cluster = undefined;
  });

  it('stop() soon after apply leaks nothing: work in flight is finished, then removed', async () => {
    for (const delayMs of [50, 200, 600]) {
      const c = await startDockerCluster(name, ['node-1']);
      await c.apply(httpdDeployment('web', 6));
      await sleep(delayMs);
      await c.stop();
      expect(await leftovers(c), `stop after ${delayMs} ms`).toEqual([]);
    }
  });

  it("killNode then stop() removes the dead node's containers and the network too", async () => {
    const c = await startDockerCluster(name, ['node-1', 'node-2']);
    await c.apply(httpdDeployment('web', 4));
    await rolledOut(c, 'web');
    await c.killNode('node-1');
    await c.stop();
    expect(await leftovers(c)).toEqual([]);
  });
});
