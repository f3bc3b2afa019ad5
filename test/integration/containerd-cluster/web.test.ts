/**
 * A whole cluster on real containerd, end to end: a busybox httpd Deployment becomes Ready and
 * serves HTTP on its CNI pod IPs to this process, a task killed behind tugboat's back (ctr) is
 * healed in place through containerd's event stream, a rolling update replaces every container,
 * and `cluster.stop()` leaves nothing labelled with the cluster in the namespace.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';
import { ContainerdRuntime } from '../../../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../support/containerd.js';
import { TEST_IMAGE_2, testClusterName } from '../../support/docker.js';
import { httpdDeployment, httpGet, podReady, podsOf, rolledOut } from '../../support/docker-cluster.js';

const containerd = await containerdForTests();
const name = testClusterName('containerd-cluster-web');
const ns = CONTAINERD_TEST_NAMESPACE;

/** ctr in the test namespace. */
async function ctr(...args: string[]): Promise<string> {
  return (await promisify(execFile)('ctr', ['-n', ns, ...args])).stdout;
}

/** The ids of the cluster's containerd containers (sandboxes too), as ctr lists them. */
async function leftovers(): Promise<string[]> {
  const out = await ctr('containers', 'ls', '-q', `labels."${RUNTIME_LABELS.cluster}"==${name}`);
  return out.split('\n').filter(Boolean);
}

describe.skipIf(!containerd)('a cluster on containerd: serve, heal, roll, stop', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined;
  const runtime = new ContainerdRuntime({ namespace: ns });

  beforeAll(async () => {
    // No periodic resync within the test: a killed task can only be noticed through events.
    cluster = await Cluster.start({ name, nodes: [{ name: 'node-1', runtime, resyncIntervalMs: 3_600_000 }] });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const body = async (pod: Pod): Promise<string> => (await httpGet(pod.status?.podIP ?? '', 8080)).body.trim();

  it('a Deployment of 3 httpd pods becomes Ready and each pod IP serves "tugboat 1" to this process', async () => {
    await cluster!.apply(httpdDeployment('web', 3));
    const d = await rolledOut(cluster!, 'web');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    const pods = await podsOf(cluster!, 'web');
    expect(pods).toHaveLength(3);
    expect(pods.every(podReady)).toBe(true);
    const ips = pods.map((p) => p.status?.podIP ?? '');
    expect(new Set(ips).size).toBe(3);
    expect(ips.every((ip) => ip.startsWith('10.213.'))).toBe(true);
    for (const pod of pods) expect(await body(pod)).toBe('tugboat 1');
    // A sandbox and an app container per pod in the namespace.
    expect(await leftovers()).toHaveLength(6);
  });

  it('a task killed with ctr is noticed through the event stream and healed in place', async () => {
    const [victim] = await podsOf(cluster!, 'web');
    const uid = victim!.metadata.uid!;
    const [before] = (await runtime.listContainers({ [RUNTIME_LABELS.podUid]: uid })).filter((c) => c.state === 'running');
    await ctr('tasks', 'kill', '-s', 'SIGKILL', before!.id);
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
    expect(healed!.metadata.uid).toBe(uid);
    expect(await body(healed!)).toBe('tugboat 1');
  });

  it('a rolling update to tugboat-test/busybox:2 replaces every pod; the new ones serve "tugboat 2"', async () => {
    await cluster!.apply(httpdDeployment('web', 3, TEST_IMAGE_2));
    await rolledOut(cluster!, 'web', 120_000);
    const pods = (await podsOf(cluster!, 'web')).filter((p) => p.status?.phase === 'Running');
    expect(pods.length).toBeGreaterThanOrEqual(3);
    for (const pod of pods.filter(podReady)) expect(await body(pod)).toBe('tugboat 2');
  });

  it('cluster.stop() removes every container, task and sandbox of the cluster', async () => {
    await cluster!.stop();
    cluster = undefined;
    expect(await leftovers()).toEqual([]);
  });
});
