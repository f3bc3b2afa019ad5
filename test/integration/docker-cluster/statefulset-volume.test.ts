/**
 * A StatefulSet's data outlives its pod on real Docker: web-0 writes a file into its claim
 * (www-web-0, provisioned by the default StorageClass `standard` as a local volume); after
 * web-0 is deleted and recreated, the new web-0 reads the same file. The volume is a Docker named
 * volume labelled with the cluster, removed when the set (whenDeleted Delete) takes its claim,
 * and a volume of another cluster is never removed.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { LOCAL_PROVISIONER, LocalVolumes } from '../../../src/cloud-providers/local/index.js';
import type { PersistentVolume, PersistentVolumeClaim, StatefulSet } from '../../../src/model/types.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/index.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { TEST_IMAGE, dockerClient, dockerForTests, testClusterName } from '../../support/docker.js';
import { eventually, podReady, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-statefulset-volume');

const web: StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    serviceName: 'web',
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: TEST_IMAGE,
            imagePullPolicy: 'Never',
            command: [
              'sh',
              '-c',
              'trap "exit 0" TERM; [ -f /data/first ] || echo "written by $(hostname) at $$" > /data/first; hostname >> /data/boots; sleep 3600 & wait $!',
            ],
            volumeMounts: [{ name: 'www', mountPath: '/data' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } },
    ],
  },
};

describe.skipIf(!docker)('StatefulSet volumes on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
    await rm(join(tmpdir(), 'tugboat-volumes', name), { recursive: true, force: true });
  });

  it('keeps a file web-0 wrote after web-0 is deleted and recreated', async () => {
    const c = cluster!;
    await c.apply(web);
    const first = await eventually(async () => {
      const p = await c.pods('default').find('web-0');
      return p && podReady(p) ? p : undefined;
    }, 'web-0 ready');
    const claim = await c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default').get('www-web-0');
    expect(claim.status?.phase).toBe('Bound');
    expect(claim.spec?.storageClassName).toBe('standard');
    const before = await eventually(async () => {
      const r = await c.exec('default', 'web-0', ['cat', '/data/first']);
      return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
    }, 'the file written');
    await c.pods('default').delete('web-0');
    await eventually(
      async () => {
        const p = await c.pods('default').find('web-0');
        return p && p.metadata.uid !== first.metadata.uid && podReady(p) ? p : undefined;
      },
      'web-0 recreated',
      90_000,
    );
    const after = await c.exec('default', 'web-0', ['cat', '/data/first']);
    expect(after.stdout.trim()).toBe(before);
    const boots = await eventually(async () => {
      const r = await c.exec('default', 'web-0', ['cat', '/data/boots']);
      const lines = r.stdout.trim().split('\n');
      return lines.length === 2 ? lines : undefined;
    }, 'two boots recorded');
    expect(boots).toEqual(['web-0', 'web-0']);
    expect((await c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default').get('www-web-0')).metadata.uid).toBe(
      claim.metadata.uid,
    );
  });

  it('keeps the data in a Docker named volume labelled with the cluster, removed once the claim goes (reclaim Delete)', async () => {
    const c = cluster!;
    const claim = await c.client<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default').get('www-web-0');
    const pv = await c.client<PersistentVolume>('v1', 'PersistentVolume').get(claim.spec!.volumeName!);
    const handle = pv.spec?.csi?.volumeHandle ?? '';
    expect(pv.spec?.csi?.driver).toBe(LOCAL_PROVISIONER);
    expect(pv.spec?.hostPath).toBeUndefined();
    const d = dockerClient();
    const info = await d.getVolume(handle).inspect();
    expect(info.Labels).toMatchObject({
      [RUNTIME_LABELS.cluster]: name,
      [RUNTIME_LABELS.role]: 'persistent-volume',
      'io.tugboat.pv': pv.metadata.name,
    });
    const web0 = (
      await d.listContainers({ filters: { label: [`${RUNTIME_LABELS.cluster}=${name}`, `${RUNTIME_LABELS.podName}=web-0`] } })
    ).find((x) => x.Labels[RUNTIME_LABELS.role] !== 'sandbox');
    expect(web0?.Mounts.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'volume', Name: handle });
    // whenDeleted Delete: the set's deletion takes the claim, the volume (reclaim Delete) and the Docker volume.
    await c.client<StatefulSet>('apps/v1', 'StatefulSet', 'default').delete('web');
    await eventually(
      async () => ((await d.listVolumes({ filters: { name: [handle] } })).Volumes ?? []).every((v) => v.Name !== handle) || undefined,
      'the Docker volume removed',
      90_000,
    );
  });

  it('never removes a named volume that is not its cluster’s', async () => {
    const d = dockerClient();
    const foreign = `tugboat-${name}-pvc-foreign`;
    await d.createVolume({
      Name: foreign,
      Labels: { [RUNTIME_LABELS.cluster]: 'another-cluster', [RUNTIME_LABELS.role]: 'persistent-volume' },
    });
    try {
      const volumes = new LocalVolumes({
        root: join(tmpdir(), 'tugboat-volumes', name),
        namedVolumes: { runtime: new DockerRuntime(), clusterName: name },
      });
      await volumes.delete({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'pvc-foreign' },
        spec: { csi: { driver: LOCAL_PROVISIONER, volumeHandle: foreign } },
      });
      expect((await d.getVolume(foreign).inspect()).Name).toBe(foreign);
      await expect(new DockerRuntime().createVolume(foreign, { [RUNTIME_LABELS.cluster]: name })).rejects.toThrow(/not this cluster/);
    } finally {
      await d
        .getVolume(foreign)
        .remove()
        .catch(() => undefined);
    }
  });
});
