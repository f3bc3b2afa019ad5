/**
 * A ConfigMap volume follows the ConfigMap on real Docker: a container reads the mounted file,
 * the ConfigMap is updated, and the new content appears in the same running container (the
 * `..data` link swapped), while a subPath mount of the same key keeps the first content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { ConfigMap, Pod } from '../../../src/model/types.js';
import { TEST_IMAGE, dockerForTests, testClusterName } from '../../support/docker.js';
import { eventually, podReady, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-configmap-volume');

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'reader', namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: 1,
    volumes: [{ name: 'cfg', configMap: { name: 'greeting' } }],
    containers: [
      {
        name: 'app',
        image: TEST_IMAGE,
        imagePullPolicy: 'Never',
        command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait $!'],
        volumeMounts: [
          { name: 'cfg', mountPath: '/cfg' },
          { name: 'cfg', mountPath: '/pinned', subPath: 'msg' },
        ],
      },
    ],
  },
};

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
    const c = cluster!;
    const cms = c.client<ConfigMap>('v1', 'ConfigMap', 'default');
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting' }, data: { msg: 'hello v1' } } as ConfigMap);
    await c.apply(pod);
    const first = await eventually(async () => {
      const p = await c.pods('default').find('reader');
      return p && podReady(p) ? p : undefined;
    }, 'reader ready');
    const cat = async (path: string) => (await c.exec('default', 'reader', ['cat', path])).stdout.trim();
    expect(await cat('/cfg/msg')).toBe('hello v1');
    expect(await cat('/pinned')).toBe('hello v1');
    const dataBefore = (await c.exec('default', 'reader', ['readlink', '/cfg/..data'])).stdout.trim();
    expect(dataBefore).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);

    const cm = await cms.get('greeting');
    await cms.update({ ...cm, data: { msg: 'hello v2', extra: 'new key' } } as ConfigMap);
    await eventually(async () => ((await cat('/cfg/msg')) === 'hello v2' ? true : undefined), 'the new content', 30_000);
    expect(await cat('/cfg/extra')).toBe('new key');
    expect(await cat('/pinned')).toBe('hello v1');
    expect((await c.exec('default', 'reader', ['readlink', '/cfg/..data'])).stdout.trim()).not.toBe(dataBefore);
    const now = await c.pods('default').get('reader');
    expect(now.metadata.uid).toBe(first.metadata.uid);
    expect(now.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});
