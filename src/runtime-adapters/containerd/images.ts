/**
 * Images in containerd's image and content stores: finding one, reading its manifest and config,
 * making sure its layers are unpacked for the snapshotter, and the pull policy of `ensureImage`.
 */
import { TugboatError } from '../../model/errors.js';
import { ImagePullError, type ImageInfo, type PullPolicy } from '../types.js';
import { grpcCode, GRPC } from './grpc-client.js';
import { chainId, ociArch, parseImageRef } from './image-ref.js';
import { pullImage } from './pull.js';
import type { ContainerdScope } from './scope.js';

/** An OCI content descriptor. */
export interface Descriptor {
  media_type: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string };
}

/** What a container takes from its image. */
export interface ResolvedImage {
  /** The name containerd stores it under (normalised). */
  name: string;
  /** The config digest (the image id, as Docker's). */
  id: string;
  /** The manifest's descriptor. */
  manifest: Descriptor;
  /** The layers, bottom first. */
  layers: Descriptor[];
  diffIds: string[];
  /** The snapshot of the unpacked layers. */
  chainId: string;
  config: { Env?: string[]; Entrypoint?: string[] | null; Cmd?: string[] | null; WorkingDir?: string; User?: string };
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** Reads a blob of the content store whole. */
export async function readBlob(scope: ContainerdScope, digest: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const r of scope.client.stream<{ data: Buffer }>(
      'containerd.services.content.v1.Content',
      'Read',
      { digest },
      { timeoutMs: 60_000 },
    )) {
      parts.push(r.data);
    }
  } catch (err) {
    throw scope.wrap(err);
  }
  return Buffer.concat(parts);
}

/** From an index, the manifest of this machine's platform (linux and this architecture). */
export function pickManifest(index: { manifests?: Descriptor[] }, arch: string = ociArch()): Descriptor | undefined {
  const list = index.manifests ?? [];
  return (
    list.find((m) => (m.platform?.os ?? 'linux') === 'linux' && m.platform?.architecture === arch) ??
    (list.length === 1 ? list[0] : undefined)
  );
}

/** Reads a manifest (through an index, if the target is one) and its config. */
export async function resolveTarget(scope: ContainerdScope, name: string, target: Descriptor): Promise<ResolvedImage> {
  let manifestDesc = target;
  let manifest = JSON.parse((await readBlob(scope, target.digest)).toString('utf8')) as { mediaType?: string; manifests?: Descriptor[] };
  if (INDEX_TYPES.has(target.media_type) || manifest.manifests) {
    const picked = pickManifest(manifest);
    if (!picked) throw new TugboatError('NotFound', `image ${name} has no manifest for linux/${ociArch()}`, { kind: 'Image', name });
    manifestDesc = picked;
    manifest = JSON.parse((await readBlob(scope, picked.digest)).toString('utf8'));
  }
  const m = manifest as unknown as { config: { digest: string }; layers: Array<{ mediaType: string; digest: string; size: number }> };
  const config = JSON.parse((await readBlob(scope, m.config.digest)).toString('utf8')) as {
    config?: ResolvedImage['config'];
    rootfs?: { diff_ids?: string[] };
  };
  const diffIds = config.rootfs?.diff_ids ?? [];
  return {
    name,
    id: m.config.digest,
    manifest: manifestDesc,
    layers: m.layers.map((l) => ({ media_type: l.mediaType, digest: l.digest, size: l.size })),
    diffIds,
    chainId: chainId(diffIds),
    config: config.config ?? {},
  };
}

/** The image stored under `ref` (normalised), resolved; undefined when containerd has no such image. */
export async function findImage(scope: ContainerdScope, ref: string): Promise<ResolvedImage | undefined> {
  const { name } = parseImageRef(ref);
  let image: { name: string; target: Descriptor };
  try {
    ({ image } = await scope.call<{ image: { name: string; target: Descriptor } }>('images', 'Get', { name }));
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) return undefined;
    throw err;
  }
  return resolveTarget(scope, name, image.target);
}

/** True when the image's layers are unpacked in the snapshotter (its chain id is a committed snapshot). */
export async function isUnpacked(scope: ContainerdScope, image: ResolvedImage): Promise<boolean> {
  if (!image.chainId) return true;
  try {
    await scope.call('snapshots', 'Stat', { snapshotter: scope.snapshotter, key: image.chainId });
    return true;
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) return false;
    throw err;
  }
}

/**
 * Unpacks an image's layers into the snapshotter, one committed snapshot per layer named by its
 * chain id (the diff service applies each layer onto the snapshot below), under a lease.
 */
export async function unpack(scope: ContainerdScope, image: ResolvedImage, lease?: string): Promise<void> {
  let parent = '';
  for (let i = 0; i < image.layers.length; i++) {
    const chain = chainId(image.diffIds.slice(0, i + 1));
    const exists = await scope.call('snapshots', 'Stat', { snapshotter: scope.snapshotter, key: chain }).then(
      () => true,
      (err: unknown) => {
        if (grpcCode(err) === GRPC.NOT_FOUND) return false;
        throw err;
      },
    );
    if (!exists) {
      const key = `extract-${Date.now()}-${Math.random().toString(36).slice(2, 8)} ${chain}`;
      const { mounts } = await scope.call<{ mounts: object[] }>(
        'snapshots',
        'Prepare',
        { snapshotter: scope.snapshotter, key, parent, labels: { 'containerd.io/snapshot.ref': chain } },
        { lease },
      );
      try {
        const { applied } = await scope.call<{ applied: Descriptor }>(
          'diff',
          'Apply',
          { diff: image.layers[i], mounts },
          { lease, timeoutMs: 300_000 },
        );
        if (applied.digest !== image.diffIds[i]) {
          throw new TugboatError(
            'InternalError',
            `layer ${image.layers[i].digest} of ${image.name} unpacked to ${applied.digest}, not its diff id ${image.diffIds[i]}`,
          );
        }
        await scope.call(
          'snapshots',
          'Commit',
          { snapshotter: scope.snapshotter, name: chain, key, labels: { 'containerd.io/snapshot.ref': chain } },
          { lease },
        );
      } catch (err) {
        await scope.call('snapshots', 'Remove', { snapshotter: scope.snapshotter, key }).catch(() => undefined);
        if (grpcCode(err) !== GRPC.ALREADY_EXISTS) throw err;
      }
    }
    parent = chain;
  }
}

/** The image, present and unpacked; ImageInfo is its name and config digest. */
async function present(scope: ContainerdScope, ref: string): Promise<ResolvedImage | undefined> {
  const image = await findImage(scope, ref);
  if (image && !(await isUnpacked(scope, image)))
    await scope.once(`unpack:${image.name}`, () => scope.withLease((lease) => unpack(scope, image, lease)));
  return image;
}

/**
 * Makes sure an image is present as the pull policy says: Always pulls, IfNotPresent pulls when
 * missing, Never fails with ErrImageNeverPull when missing. A failed pull throws ImagePullError
 * ('ErrImagePull') naming the registry and why. Concurrent pulls of one ref are shared.
 */
export async function ensureImage(scope: ContainerdScope, ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo> {
  if (policy !== 'Always') {
    const found = await present(scope, ref);
    if (found) return { ref, id: found.id };
    if (policy === 'Never') {
      throw new ImagePullError(ref, `Container image "${ref}" is not present with pull policy of Never`, 'ErrImageNeverPull');
    }
  }
  const name = parseImageRef(ref).name;
  await scope.once(`pull:${name}`, () => pullImage(scope, ref, signal));
  const found = await present(scope, ref);
  if (!found) throw new ImagePullError(ref, `image "${ref}" is absent after its pull`, 'ErrImagePull');
  return { ref, id: found.id };
}
