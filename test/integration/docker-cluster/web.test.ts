/**
 * A whole cluster on real Docker, end to end: a busybox httpd Deployment serves HTTP on its pod
 * IPs, a `docker kill` is healed through Docker's event stream, a rolling update replaces every
 * container, and `cluster.stop()` leaves nothing labelled with the cluster on the daemon.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';
import { dockerClient, dockerForTests, TEST_IMAGE_2, testClusterName } from '../../support/docker.js';
import {
  appContainers,
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
const name = testClusterName('docker-cluster-web');

describe.skipIf(!docker)('a cluster on Docker: serve, heal, roll, stop', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    // No periodic resync within the test: a killed container can only be noticed through events.
    cluster = await startDockerCluster(name, [{ name: 'node-1', resyncIntervalMs: 3_600_000 }]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  const body = async (pod: Pod): Promise<string> => (await httpGet(pod.status?.podIP ?? '', 8080)).body.trim();

  it('a Deployment of 3 httpd pods becomes Ready and each pod IP serves "tugboat 1" to this process', async () => {
    await cluster!.apply(httpdDeployment('web', 3));
    const d = await rolledOut(cluster!, 'web');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    const pods = await podsOf(cluster!, 'web');
    expect(pods).toHaveLength(3);
    expect(pods.every(podReady)).toBe(true);
    const ips = pods.map((p) => p.status?.podIP);
    expect(new Set(ips).size).toBe(3);
    for (const pod of pods) expect(await body(pod)).toBe('tugboat 1');
    // One app container per pod on the daemon, each labelled with its pod.
    const containers = await appContainers(name);
    expect(containers.map((c) => c.podUid).sort()).toEqual(pods.map((p) => p.metadata.uid).sort());
    expect(containers.every((c) => c.state === 'running' && c.node === 'node-1' && c.container === 'web')).toBe(true);
  });

  it('docker kill of an app container is noticed through the event stream and healed in place', async () => {
    const [victim] = await podsOf(cluster!, 'web');
    const uid = victim!.metadata.uid!;
    const [before] = await appContainers(name, { 'io.tugboat.pod.uid': uid });
    await dockerClient().getContainer(before!.id).kill({ signal: 'SIGKILL' });
    const healed = await cluster!.waitFor(
      cluster!.pods('default'),
      victim!.metadata.name!,
      (p) => {
        const cs = p?.status?.containerStatuses?.[0];
        return (cs?.restartCount ?? 0) >= 1 && cs?.ready === true;
      },
      { timeoutMs: 60_000 },
    );
    const status = healed!.status!.containerStatuses![0]!;
    expect(status.restartCount).toBe(1);
    expect(status.lastState?.terminated?.exitCode).toBe(137);
    expect(healed!.metadata.uid).toBe(uid); // the same pod, restarted, not replaced
    expect(await body(healed!)).toBe('tugboat 1');
    const now = await appContainers(name, { 'io.tugboat.pod.uid': uid });
    expect(now.filter((c) => c.state === 'running')).toHaveLength(1);
    expect(now.find((c) => c.state === 'running')!.id).not.toBe(before!.id);
    expect(await podsOf(cluster!, 'web')).toHaveLength(3);
  });

  it('a rolling update to busybox:2 replaces every container; every pod serves "tugboat 2"', async () => {
    const old = await appContainers(name);
    expect(old.length).toBeGreaterThanOrEqual(3);
    // As `kubectl set image`: a strategic merge patch, merging the containers list by name.
    await cluster!
      .deployments('default')
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'web', image: TEST_IMAGE_2 }] } } } }, 'strategic');
    await rolledOut(cluster!, 'web');
    // The old pods' containers are removed once their pods are gone; wait for the daemon to agree.
    const pods = await eventually(async () => {
      const ps = await podsOf(cluster!, 'web');
      const all = await cluster!.pods('default').list({ labelSelector: 'app=web' });
      return ps.length === 3 && all.items.length === 3 && ps.every(podReady) ? ps : undefined;
    }, 'exactly 3 ready pods');
    expect(pods.every((p) => p.spec?.containers[0]?.image === TEST_IMAGE_2)).toBe(true);
    for (const pod of pods) expect(await body(pod)).toBe('tugboat 2');
    const oldIds = new Set(old.map((c) => c.id));
    const current = await eventually(async () => {
      const cs = await appContainers(name);
      return cs.some((c) => oldIds.has(c.id)) ? undefined : cs;
    }, 'the old containers to be removed');
    expect(current.filter((c) => oldIds.has(c.id))).toEqual([]);
    expect(current.map((c) => c.podUid).sort()).toEqual(pods.map((p) => p.metadata.uid).sort());
    expect(current.every((c) => c.image === TEST_IMAGE_2 && c.state === 'running')).toBe(true);
  });

  it('cluster.stop() leaves no container, volume or network labelled with the cluster', async () => {
    expect((await clusterLeftovers(name)).length).toBeGreaterThan(0); // there was something to remove
    await cluster!.stop();
    cluster = undefined;
    expect(await clusterLeftovers(name)).toEqual([]);
  });
});
