/**
 * A ConfigMap volume follows the ConfigMap on real containerd: a container reads the mounted file,
 * the ConfigMap is updated, and the new content appears in the same running container (the
 * `..data` link swapped), while a subPath mount of the same key keeps the first content.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { ContainerdRuntime } from '../../../src/runtime-adapters/containerd/index.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../support/containerd.js';
import { testClusterName } from '../../support/docker.js';
import { configMapVolumeFollowsUpdates } from '../../support/configmap-volume-case.js';

const containerd = await containerdForTests();
const name = testClusterName('containerd-cluster-configmap-volume');

describe.skipIf(!containerd)('ConfigMap volumes on containerd', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    // A short sync period, so the test sees the update in seconds (the kubelet's is 60 s).
    const runtime = new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE });
    cluster = await Cluster.start({ name, nodes: [{ name: 'node-1', runtime, resyncIntervalMs: 1_000 }] });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('shows the updated ConfigMap in the running container, never in the subPath mount', async () => {
    await configMapVolumeFollowsUpdates(cluster!);
  });
});
