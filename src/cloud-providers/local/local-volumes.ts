/**
 * Local volumes, as kind's and minikube's default provisioners make them: each volume is a
 * directory under a root on this machine, handed to pods as a hostPath volume (the process
 * runtime exports its path; Docker bind-mounts it), so data outlives the pod. In memory mode
 * (for MockRuntime clusters) nothing touches the disk: volumes are names in a set.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PersistentVolume } from '../../model/types.js';
import type { ExpandedVolume, ProvisionRequest, ProvisionedVolume, VolumeProvider } from '../types.js';
import { provisionedNodeAffinity } from '../volume-topology.js';

/** The provisioner name of the local volumes (StorageClass.provisioner). */
export const LOCAL_PROVISIONER = 'tugboat.dev/local-path';

/** Options of {@link LocalVolumes}. */
export interface LocalVolumesOptions {
  /** The directory volumes are made in. Required unless `memory`. */
  root?: string;
  /** Keep volumes in memory only (MockRuntime clusters). @default false */
  memory?: boolean;
}

/** The local {@link VolumeProvider}: directories under a root, or in memory. */
export class LocalVolumes implements VolumeProvider {
  readonly provisioners = [LOCAL_PROVISIONER] as const;
  /** Volumes made and not yet deleted, by PersistentVolume name (memory mode and disk mode alike). */
  readonly volumes = new Set<string>();
  private readonly root: string;

  constructor(private readonly options: LocalVolumesOptions) {
    if (!options.memory && !options.root) throw new TypeError('LocalVolumes needs a root directory or memory: true');
    this.root = resolve(options.root ?? '/tugboat-memory-volumes');
  }

  /** The directory of a volume. */
  pathOf(volumeName: string): string {
    return join(this.root, volumeName.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  async provision(request: ProvisionRequest): Promise<ProvisionedVolume> {
    const path = this.pathOf(request.volumeName);
    if (!this.options.memory) await mkdir(path, { recursive: true, mode: 0o777 });
    this.volumes.add(request.volumeName);
    const source = { hostPath: { path, type: 'DirectoryOrCreate' } };
    // A volume made for a selected node stays with it (as kind's local-path provisioner); else
    // it may go where the class's allowedTopologies say.
    const nodeAffinity = provisionedNodeAffinity(request, true);
    return nodeAffinity ? { source, nodeAffinity } : { source };
  }

  /** A folder has no size to grow: the new size is taken as is (no file system to grow on the node). */
  async expand(volume: PersistentVolume, size: string): Promise<ExpandedVolume> {
    const path = volume.spec?.hostPath?.path;
    const mine = this.volumes.has(volume.metadata.name ?? '') || (!!path && resolve(path).startsWith(this.root + sep));
    if (!mine) throw new Error(`volume ${volume.metadata.name} was not made by ${LOCAL_PROVISIONER}`);
    return { capacity: size };
  }

  async delete(volume: PersistentVolume): Promise<void> {
    const name = volume.metadata.name ?? '';
    this.volumes.delete(name);
    const path = volume.spec?.hostPath?.path;
    if (this.options.memory || !path) return;
    const abs = resolve(path);
    if (!abs.startsWith(this.root + sep)) return; // never delete what it did not make
    await rm(abs, { recursive: true, force: true });
  }
}
