/**
 * A claim on real Docker: provisioned as a Docker named volume, mounted (whole and by subPath), written, resized
 * (allowVolumeExpansion) while its pod runs, and kept after the claim goes under reclaimPolicy
 * Retain (the Docker volume and its data stay; the PersistentVolume is Released).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { LOCAL_PROVISIONER } from '../../../src/cloud-providers/local/index.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../src/model/types.js';
import { TEST_IMAGE, dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import { eventually, podReady, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-volume-resize');

describe.skipIf(!docker)('a resized, retained claim on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('grows the claim with its data in place, and keeps the volume after the claim under Retain', async () => {
    const c = cluster!;
    const sc: StorageClass = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'grow-retain' },
      provisioner: LOCAL_PROVISIONER,
      allowVolumeExpansion: true,
      reclaimPolicy: 'Retain',
    };
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'grow-retain', resources: { requests: { storage: '64Mi' } } },
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [
          {
            name: 'app',
            image: TEST_IMAGE,
            imagePullPolicy: 'Never',
            command: ['sh', '-c', 'trap "exit 0" TERM; echo kept > /data/file; echo nested > /sub/f; sleep 3600 & wait $!'],
            volumeMounts: [
              { name: 'data', mountPath: '/data' },
              { name: 'data', mountPath: '/sub', subPath: 'inner/dir' },
            ],
          },
        ],
      },
    };
    await c.apply([sc, pvc, pod]);
    await eventually(async () => {
      const p = await c.pods('default').find('writer');
      return p && podReady(p) ? p : undefined;
    }, 'writer ready');
    const claims = c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default');
    await claims.patch('data', { spec: { resources: { requests: { storage: '128Mi' } } } }, 'merge');
    await eventually(async () => ((await claims.get('data')).status?.capacity?.storage === '128Mi' ? true : undefined), 'resized');
    const pvName = (await claims.get('data')).spec!.volumeName!;
    const pvs = c.client<PersistentVolume>('v1', 'PersistentVolume');
    expect((await pvs.get(pvName)).spec?.capacity?.storage).toBe('128Mi');
    expect((await c.exec('default', 'writer', ['cat', '/data/file'])).stdout.trim()).toBe('kept');
    // A subPath of the named volume is that folder of it.
    expect((await c.exec('default', 'writer', ['cat', '/data/inner/dir/f'])).stdout.trim()).toBe('nested');

    const handle = (await pvs.get(pvName)).spec?.csi?.volumeHandle ?? '';
    await c.pods('default').delete('writer');
    await eventually(async () => !(await c.pods('default').find('writer')) || undefined, 'writer gone', 60_000);
    await claims.delete('data');
    await eventually(async () => ((await pvs.get(pvName)).status?.phase === 'Released' ? true : undefined), 'volume released');
    expect((await dockerClient().getVolume(handle).inspect()).Name).toBe(handle);
  });
});
