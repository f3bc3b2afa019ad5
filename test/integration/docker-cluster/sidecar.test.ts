/**
 * A native sidecar on real Docker: an init container with `restartPolicy: Always` writes into a
 * shared emptyDir while the app container reads it; after the sidecar is killed (docker kill),
 * the node agent starts it again (restartCount 1) beside the app, which never stopped and reads
 * what the new sidecar writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { TEST_IMAGE, dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import { appContainers, eventually, podReady, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-sidecar');

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'reader', namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: 1,
    volumes: [{ name: 'shared', emptyDir: {} }],
    initContainers: [
      {
        name: 'writer',
        image: TEST_IMAGE,
        imagePullPolicy: 'Never',
        restartPolicy: 'Always',
        // Each start writes a new boot id, then a heartbeat counter.
        command: [
          'sh',
          '-c',
          'trap "exit 0" TERM; id=$(cat /proc/sys/kernel/random/uuid); n=0; while true; do n=$((n+1)); echo "$id $n" > /shared/beat; sleep 0.2; done',
        ],
        volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
      },
    ],
    containers: [
      {
        name: 'app',
        image: TEST_IMAGE,
        imagePullPolicy: 'Never',
        // The app reads what the sidecar writes (it starts only once the sidecar runs).
        command: ['sh', '-c', 'trap "exit 0" TERM; while true; do cat /shared/beat > /tmp/seen 2>/dev/null; sleep 0.2; done'],
        volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        readinessProbe: { exec: { command: ['test', '-s', '/tmp/seen'] }, periodSeconds: 1 },
      },
    ],
  },
};

describe.skipIf(!docker)('native sidecars on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('the app reads what the sidecar writes; a killed sidecar comes back beside the running app', async () => {
    const c = cluster!;
    await c.apply(pod);
    await eventually(async () => {
      const p = await c.pods('default').find('reader');
      return p && podReady(p);
    }, 'reader ready');
    const seen = async () => (await c.exec('default', 'reader', ['cat', '/tmp/seen'], 'app')).stdout.trim().split(' ');
    const [bootBefore] = await seen();
    expect(bootBefore).toMatch(/^[0-9a-f-]{36}$/);

    const [writer] = await appContainers(name, { [RUNTIME_LABELS.container]: 'writer' });
    expect(writer?.state).toBe('running');
    const [app] = await appContainers(name, { [RUNTIME_LABELS.container]: 'app' });
    await dockerClient().getContainer(writer!.id).kill();

    const after = await eventually(async () => {
      const p = await c.pods('default').find('reader');
      const s = p?.status?.initContainerStatuses?.[0];
      return s?.restartCount === 1 && s.started && s.state?.running ? p : undefined;
    }, 'the sidecar restarted');
    expect(after.status?.phase).toBe('Running');
    expect(after.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, ready: true });
    expect(after.status?.initContainerStatuses?.[0].lastState?.terminated?.exitCode).toBe(137);
    const bootAfter = await eventually(async () => {
      const [boot] = await seen();
      return boot && boot !== bootBefore ? boot : undefined;
    }, 'the app reads the new sidecar');
    expect(bootAfter).toMatch(/^[0-9a-f-]{36}$/);
    // The app container is the same one, still running.
    const [appNow] = await appContainers(name, { [RUNTIME_LABELS.container]: 'app' });
    expect(appNow).toMatchObject({ id: app!.id, state: 'running' });
  });
});
