/**
 * The volumes part of {@link MockCloudProvider}: cloud disks that exist only in memory. They are
 * provisioned (within the class's allowedTopologies), attached to and detached from nodes,
 * expanded (optionally needing a file-system resize on the node) and deleted; every call goes
 * through the mock's failures and latency.
 */
import type { ExpandedVolume, ProvisionRequest, ProvisionedVolume, VolumeProvider } from '../cloud-providers/types.js';
import { provisionedNodeAffinity } from '../cloud-providers/volume-topology.js';
import type { PersistentVolume } from '../model/types.js';

/** The provisioner name MockCloudProvider's volumes serve (StorageClass.provisioner). */
export const MOCK_PROVISIONER = 'tugboat.dev/mock-disk';

/** One in-memory disk of the mock. */
export interface MockDisk {
  capacity: string;
  /** The nodes it is attached to. */
  attachedTo: Set<string>;
}

/** Options of the mock's volumes. */
export interface MockVolumesOptions {
  /** Expansions need the node agent to grow the file system (FileSystemResizePending first). @default false */
  nodeExpansion?: boolean;
}

/** The in-memory volumes part; `call` applies the mock's failures and latency. */
export class MockVolumes implements VolumeProvider {
  readonly provisioners = [MOCK_PROVISIONER] as const;
  /** The disks that exist, by PersistentVolume name. */
  readonly disks = new Map<string, MockDisk>();

  constructor(
    private readonly call: (method: string, target?: string) => Promise<void>,
    private readonly options: MockVolumesOptions = {},
  ) {}

  async provision(request: ProvisionRequest): Promise<ProvisionedVolume> {
    await this.call('provision', request.volumeName);
    const capacity = request.claim.spec?.resources?.requests?.storage ?? '1Gi';
    if (!this.disks.has(request.volumeName)) this.disks.set(request.volumeName, { capacity, attachedTo: new Set() });
    const nodeAffinity = provisionedNodeAffinity(request, false);
    const source = { hostPath: { path: `/mock-disks/${request.volumeName}` } };
    return nodeAffinity ? { source, nodeAffinity } : { source };
  }

  async delete(volume: PersistentVolume): Promise<void> {
    await this.call('delete', volume.metadata.name);
    const disk = this.disks.get(volume.metadata.name ?? '');
    if (disk && disk.attachedTo.size > 0)
      throw new Error(`disk ${volume.metadata.name} is still attached to ${[...disk.attachedTo].join(', ')}`);
    this.disks.delete(volume.metadata.name ?? '');
  }

  async expand(volume: PersistentVolume, size: string): Promise<ExpandedVolume> {
    await this.call('expand', volume.metadata.name);
    const disk = this.mustGet(volume);
    disk.capacity = size;
    return { capacity: size, nodeExpansionRequired: this.options.nodeExpansion ?? false };
  }

  async attach(volume: PersistentVolume, nodeName: string): Promise<void> {
    await this.call('attach', `${volume.metadata.name}@${nodeName}`);
    this.mustGet(volume).attachedTo.add(nodeName);
  }

  async detach(volume: PersistentVolume, nodeName: string): Promise<void> {
    await this.call('detach', `${volume.metadata.name}@${nodeName}`);
    this.disks.get(volume.metadata.name ?? '')?.attachedTo.delete(nodeName);
  }

  private mustGet(volume: PersistentVolume): MockDisk {
    const disk = this.disks.get(volume.metadata.name ?? '');
    if (!disk) throw new Error(`mock disk ${volume.metadata.name} does not exist`);
    return disk;
  }
}
