/**
 * A ConfigMap volume follows the ConfigMap on real Docker: a container reads the mounted file,
 * the ConfigMap is updated, and the new content appears in the same running container (the
 * `..data` link swapped), while a subPath mount of the same key keeps the first content.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { dockerForTests, testClusterName } from '../../support/docker.js';
import { removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';
import { configMapVolumeFollowsUpdates } from '../../support/configmap-volume-case.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-configmap-volume');

describe.skipIf(!docker)('ConfigMap volumes on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    // A short sync period, so the test sees the update in seconds (the kubelet's is 60 s).
    cluster = await startDockerCluster(name, [{ name: 'node-1', resyncIntervalMs: 1_000 }]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('shows the updated ConfigMap in the running container, never in the subPath mount', async () => {
    await configMapVolumeFollowsUpdates(cluster!);
  });
});
