/**
 * The shared case of the ConfigMap-volume tests on real runtimes (Docker, containerd): a pod
 * reading a mounted ConfigMap (whole and by subPath) sees an update of the ConfigMap in the same
 * running container, the `..data` link swapped, while the subPath file keeps the first content.
 */
import { expect } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.js';
import type { ConfigMap, Pod } from '../../src/model/types.js';
import { TEST_IMAGE } from './docker.js';
import { eventually, podReady } from './docker-cluster.js';

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

/** Runs the case on a started cluster (its node's resyncIntervalMs short, so it takes seconds). */
export async function configMapVolumeFollowsUpdates(c: Cluster): Promise<void> {
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
}
