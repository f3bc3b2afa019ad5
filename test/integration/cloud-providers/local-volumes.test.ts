/** The local cloud provider's volumes on disk: a directory per volume under the root, deleted with its data, nothing outside the root touched. */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalVolumes } from '../../../src/cloud-providers/local/index.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../src/model/types.js';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default' } } as PersistentVolumeClaim;
const sc = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard' },
  provisioner: 'tugboat.dev/local-path',
} as StorageClass;

describe('LocalVolumes', () => {
  it('makes a directory per volume and deletes it with its data; never a path outside its root', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tugboat-local-volumes-'));
    const volumes = new LocalVolumes({ root: join(dir, 'root') });
    const made = await volumes.provision({ volumeName: 'pvc-1', claim, storageClass: sc });
    const path = made.source.hostPath!.path;
    expect((await stat(path)).isDirectory()).toBe(true);
    await writeFile(join(path, 'f'), 'data');
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-1' }, spec: made.source } as PersistentVolume;
    await volumes.delete(pv);
    await expect(stat(path)).rejects.toThrow();
    const outside = join(dir, 'outside');
    await writeFile(outside, 'keep');
    await volumes.delete({ ...pv, spec: { hostPath: { path: outside } } });
    expect((await stat(outside)).isFile()).toBe(true);
  });

  it('gives a volume made for a selected node that node as its affinity', async () => {
    const volumes = new LocalVolumes({ memory: true });
    const made = await volumes.provision({ volumeName: 'pvc-2', claim, storageClass: sc, selectedNode: 'node-a' });
    expect(made.nodeAffinity?.required?.nodeSelectorTerms?.[0].matchExpressions?.[0]).toMatchObject({ values: ['node-a'] });
    expect(volumes.volumes.has('pvc-2')).toBe(true);
  });
});
