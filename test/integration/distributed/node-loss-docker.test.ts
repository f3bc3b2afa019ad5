/**
 * The node-loss scenario on Docker: two `tugboat agent --runtime docker` processes as two nodes
 * on one dockerd, with `tugboat apiserver`, `controller-manager` and `scheduler`. A Deployment of
 * 2 replicas spreads; `kubectl logs` and `kubectl exec` reach a pod on an agent through the API
 * server; SIGKILL of one agent moves its pod to the other after the (shortened) NotReady
 * tolerationSeconds, and the killed agent's containers are left on the daemon for it to adopt
 * (node-loss-scenario.ts, with the checks of Docker before and after the kill).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/docker-runtime.js';
import { eventually } from '../../../src/testing/eventually.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { appContainers, removeLeftovers } from '../../support/docker-cluster.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';
import { killAll, type Part } from './parts.js';
import { type NodePair, sleeperDeployment, spawnNodeLossParts, spreadThenKill, WAIT } from './node-loss-scenario.js';

const docker = await dockerForTests();
const clusterName = testClusterName('node-loss-docker');

const dir = mkdtempSync(join(tmpdir(), 'tugboat-distributed-docker-'));
const NODES: NodePair = ['dock-a', 'dock-b'];

describe.skipIf(!docker || !kubectlAvailable())('two tugboat agents on one dockerd as two nodes', () => {
  let ctx: HttpApiContext | undefined;
  let agents = new Map<string, Part>();
  let kubeconfig = '';

  beforeAll(async () => {
    const parts = await spawnNodeLossParts(dir, NODES, () => ['--runtime', 'docker', '--cluster-name', clusterName]);
    ({ agents, kubeconfig } = parts);
    ctx = await HttpApiContext.connect(kubeconfig);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    // What the SIGKILLed agent's pods left running (kept for its restart, which never comes): removed by cluster name.
    await removeLeftovers(clusterName);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs a Deployment on both agents; SIGKILL of one: its Node NotReady and its pod moves to the other', {
    timeout: 300_000,
  }, async () => {
    const deployment = sleeperDeployment(
      { name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'echo hello from the pod; exec sleep 3600'] },
      { automountServiceAccountToken: false },
    );
    let lostContainers: string[] = [];
    await spreadThenKill(ctx!, {
      nodes: NODES,
      agents,
      deployment,
      beforeKill: async (lostPod) => {
        // Logs and exec of a pod on an agent in another process, through the API server.
        const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
        try {
          const name = lostPod.metadata.name ?? '';
          await eventually(async () => (await kubectl.ok(['logs', name])).includes('hello from the pod'), `kubectl logs ${name}`, WAIT);
          expect(await kubectl.ok(['exec', name, '--', 'cat', '/etc/tugboat-version'])).toBe('1\n');
        } finally {
          kubectl.cleanup();
        }
        lostContainers = (await appContainers(clusterName, { 'io.tugboat.node': NODES[0] })).map((c) => c.id);
        expect(lostContainers).toHaveLength(1);
      },
    });
    // Another cluster starting on this daemon sweeps what gone owners left (NodePool's start-up
    // sweep is this reclaim): the killed agent's identity is resumable (its Node keeps it), so its
    // container is kept for its restart, as by the other agent, which never takes it.
    const other = new DockerRuntime();
    try {
      await other.reclaim();
    } finally {
      await other.close();
    }
    const left = await appContainers(clusterName, { 'io.tugboat.node': NODES[0] });
    expect(left.map((c) => c.id)).toEqual(lostContainers);
    expect(left[0]?.state).toBe('running');
  });
});
