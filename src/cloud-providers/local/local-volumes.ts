/**
 * Local volumes, as kind's and minikube's default provisioners make them: each volume is a
 * directory under a root on this machine, handed to pods as a hostPath volume (the process
 * runtime exports its path; Docker bind-mounts it), so data outlives the pod. In memory mode
 * (for MockRuntime clusters) nothing touches the disk: volumes are names in a set. On Docker
 * (`namedVolumes`) each volume is a Docker named volume labelled with the cluster's name, mounted
 * by name, and removed on reclaim Delete only when it carries those labels.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PersistentVolume } from '../../model/types.js';
import { LOCAL_PROVISIONER } from '../../model/well-known.js';
import { RUNTIME_LABELS, type ContainerRuntime } from '../../runtime-adapters/types.js';
import type { ExpandedVolume, ProvisionRequest, ProvisionedVolume, VolumeProvider } from '../types.js';
import { provisionedNodeAffinity } from '../volume-topology.js';

export { LOCAL_PROVISIONER };

/** The role label of the Docker named volumes made for PersistentVolumes. */
const VOLUME_ROLE = 'persistent-volume';
/** The label naming a named volume's PersistentVolume. */
const PV_LABEL = 'io.tugboat.pv';

/** Options of {@link LocalVolumes}. */
export interface LocalVolumesOptions {
  /** The directory volumes are made in. Required unless `memory`. */
  root?: string;
  /** Keep volumes in memory only (MockRuntime clusters). @default false */
  memory?: boolean;
  /**
   * Make each volume a named volume of this runtime (a Docker named volume labelled with the
   * cluster's name) instead of a folder: what a Cluster whose nodes run on Docker uses.
   */
  namedVolumes?: { runtime: Pick<ContainerRuntime, 'createVolume' | 'removeVolume'>; clusterName: string };
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

  /** The name of a volume's Docker named volume: `tugboat-<cluster>-<pv name>`. */
  namedVolumeOf(volumeName: string): string {
    const cluster = this.options.namedVolumes?.clusterName ?? '';
    return `tugboat-${cluster}-${volumeName}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  }

  private namedVolumeLabels(): Record<string, string> {
    return { [RUNTIME_LABELS.cluster]: this.options.namedVolumes?.clusterName ?? '', [RUNTIME_LABELS.role]: VOLUME_ROLE };
  }

  async provision(request: ProvisionRequest): Promise<ProvisionedVolume> {
    const named = this.options.namedVolumes;
    if (named?.runtime.createVolume && !this.options.memory) {
      const handle = this.namedVolumeOf(request.volumeName);
      await named.runtime.createVolume(handle, { ...this.namedVolumeLabels(), [PV_LABEL]: request.volumeName });
      this.volumes.add(request.volumeName);
      const nodeAffinity = provisionedNodeAffinity(request, true);
      const source = { csi: { driver: LOCAL_PROVISIONER, volumeHandle: handle } };
      return nodeAffinity ? { source, nodeAffinity } : { source };
    }
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
    const mine =
      this.volumes.has(volume.metadata.name ?? '') ||
      volume.spec?.csi?.driver === LOCAL_PROVISIONER ||
      (!!path && resolve(path).startsWith(this.root + sep));
    if (!mine) throw new Error(`volume ${volume.metadata.name} was not made by ${LOCAL_PROVISIONER}`);
    return { capacity: size };
  }

  async delete(volume: PersistentVolume): Promise<void> {
    const name = volume.metadata.name ?? '';
    this.volumes.delete(name);
    const csi = volume.spec?.csi;
    if (csi?.driver === LOCAL_PROVISIONER) {
      // Only a volume labelled with this cluster's name and the volume role is removed.
      await this.options.namedVolumes?.runtime.removeVolume?.(csi.volumeHandle, this.namedVolumeLabels());
      return;
    }
    const path = volume.spec?.hostPath?.path;
    if (this.options.memory || !path) return;
    const abs = resolve(path);
    if (!abs.startsWith(this.root + sep)) return; // never delete what it did not make
    await rm(abs, { recursive: true, force: true });
  }
}
