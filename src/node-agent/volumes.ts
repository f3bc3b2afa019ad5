/**
 * A container's volumeMounts turned into runtime mounts: emptyDir, hostPath, persistentVolumeClaim
 * (the bound volume's host path), and ConfigMap,
 * Secret, downwardAPI and projected volumes (with service-account tokens) materialised as files
 * (with items and keys).
 */
import type { core, Pod } from '../model/types.js';
import type { Mount } from '../runtime-adapters/types.js';
import { ContainerConfigError, secretStrings, type ConfigSource } from './config-error.js';
import { podFieldValue, resourceFieldValue } from './downward-api.js';
import { volumeAttachmentName } from '../model/volume-attachment.js';
import { ATTACH_REQUIRED_ANNOTATION, LOCAL_PROVISIONER, PROVISIONED_BY_ANNOTATION } from '../model/well-known.js';

const enc = new TextEncoder();

/**
 * The mounts of one container; throws ContainerConfigError (ContainerCreating) when a required
 * source is missing. With `cache`, files volumes whose sources did not change are not built again.
 */
export async function resolveMounts(
  pod: Pod,
  container: core.Container,
  source: ConfigSource,
  hostIP: string,
  cache?: VolumeFilesCache,
): Promise<Mount[]> {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const v = volumes.get(vm.name);
    if (!v) throw new ContainerConfigError(`volume "${vm.name}" not found in pod spec`, 'CreateContainerConfigError');
    const readOnly = vm.readOnly ?? false;
    if (v.emptyDir) {
      mounts.push({
        kind: 'emptyDir',
        volume: v.name,
        containerPath: vm.mountPath,
        readOnly,
        medium: v.emptyDir.medium === 'Memory' ? 'Memory' : '',
      });
    } else if (v.hostPath) {
      mounts.push({ kind: 'hostPath', hostPath: v.hostPath.path, containerPath: vm.mountPath, readOnly });
    } else if (v.persistentVolumeClaim) {
      const where = await claimPath(pod, v.name, v.persistentVolumeClaim.claimName, source);
      const ro = readOnly || !!v.persistentVolumeClaim.readOnly;
      if (typeof where !== 'string') {
        mounts.push({
          kind: 'volume',
          name: where.volume,
          containerPath: vm.mountPath,
          readOnly: ro,
          ...(vm.subPath ? { subPath: vm.subPath } : {}),
        });
        continue;
      }
      mounts.push({ kind: 'hostPath', hostPath: vm.subPath ? `${where}/${vm.subPath}` : where, containerPath: vm.mountPath, readOnly: ro });
    } else {
      const modes: Record<string, number> = {};
      const files = await volumeFiles(pod, container, v, source, hostIP, modes, cache);
      if (!files) continue;
      const mode = v.configMap?.defaultMode ?? v.secret?.defaultMode ?? v.downwardAPI?.defaultMode ?? v.projected?.defaultMode;
      const itemModes = subPathFiles(modes, vm.subPath);
      mounts.push({
        kind: 'files',
        volume: v.name,
        containerPath: vm.mountPath,
        files: subPathFiles(files, vm.subPath),
        readOnly: true,
        ...(mode !== undefined ? { mode } : {}),
        ...(Object.keys(itemModes).length ? { modes: itemModes } : {}),
      });
    }
  }
  return mounts;
}

/**
 * The host path behind a claim: its bound PersistentVolume's hostPath or local path. A claim
 * that is missing or not bound keeps the pod's containers waiting, with Kubernetes' messages.
 */
async function claimPath(pod: Pod, volume: string, claimName: string, source: ConfigSource): Promise<string | { volume: string }> {
  const ns = pod.metadata.namespace ?? 'default';
  const claim = await source.claim?.(ns, claimName);
  if (!claim) throw new ContainerConfigError(`persistentvolumeclaim "${claimName}" not found`, 'ContainerCreating');
  const volumeName = claim.spec?.volumeName;
  if (claim.status?.phase !== 'Bound' || !volumeName)
    throw new ContainerConfigError('pod has unbound immediate PersistentVolumeClaims', 'ContainerCreating');
  const pv = await source.volume?.(volumeName);
  if (pv?.metadata.annotations?.[ATTACH_REQUIRED_ANNOTATION] === 'true') {
    // Mounted only once the attach-detach controller has attached it to this node.
    const attacher = pv.metadata.annotations[PROVISIONED_BY_ANNOTATION] ?? '';
    const va = await source.attachment?.(volumeAttachmentName(volumeName, attacher, pod.spec?.nodeName ?? ''));
    if (!va?.status?.attached)
      throw new ContainerConfigError(
        `Unable to attach or mount volumes: unmounted volumes=[${volume}], unattached volumes=[${volume}]: timed out waiting for the condition`,
        'ContainerCreating',
      );
  }
  // The local provisioner's Docker named volume, mounted by name.
  if (pv?.spec?.csi?.driver === LOCAL_PROVISIONER && pv.spec.csi.volumeHandle) return { volume: pv.spec.csi.volumeHandle };
  const path = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
  if (!path)
    throw new ContainerConfigError(`MountVolume.SetUp failed for volume "${volumeName}": no local path to mount`, 'ContainerCreating');
  return path;
}

function subPathFiles<T>(files: Record<string, T>, subPath: string | undefined): Record<string, T> {
  if (!subPath) return files;
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(files)) {
    if (k === subPath) out[''] = v;
    else if (k.startsWith(subPath + '/')) out[k.slice(subPath.length + 1)] = v;
  }
  return out;
}

/**
 * What one files volume (ConfigMap, Secret, downwardAPI, projected) of a container was last
 * built from, and the files built: `inputs` names every source's version (a ConfigMap's or
 * Secret's uid and resourceVersion, a token, a downward API value), so a volume whose sources
 * all are as they were is not encoded again.
 */
export interface CachedVolumeFiles {
  inputs: readonly unknown[];
  files: Record<string, Uint8Array>;
  modes: Record<string, number>;
}

/**
 * The files volumes of one container by volume name, kept between syncs by its record
 * (file-refresh.ts): the kubelet re-runs every volume's SetUp on each pod sync, and rebuilding
 * unchanged files (decoding, encoding) is most of that work.
 */
export type VolumeFilesCache = Map<string, CachedVolumeFiles>;

/** One source of a files volume as read: the object (or token, or values) and what identifies its version. */
type ReadSource =
  | { kind: 'configmap' | 'secret'; name: string; items?: core.KeyToPath[]; optional?: boolean; obj?: object }
  | { kind: 'downward'; items: core.DownwardAPIVolumeFile[]; values: string[] }
  | { kind: 'token'; path: string; token?: string; error?: string };

/**
 * The files of a ConfigMap/Secret/downwardAPI/projected volume, or undefined for kinds that mount
 * nothing here; the modes its items ask for (items[].mode) are added to `modes`. A missing
 * source throws the kubelet's `MountVolume.SetUp failed for volume "v" : ...` (a projected
 * volume's errors aggregated as `[a, b]`). With `cache`, a volume whose sources are all the
 * versions it was last built from gets the files built then (the same object).
 */
async function volumeFiles(
  pod: Pod,
  container: core.Container,
  v: core.Volume,
  source: ConfigSource,
  hostIP: string,
  modes: Record<string, number>,
  cache: VolumeFilesCache | undefined,
): Promise<Record<string, Uint8Array> | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  const read: ReadSource[] = [];
  if (v.configMap) read.push(await readKeys(source, ns, 'configmap', v.configMap.name ?? '', v.configMap.items, v.configMap.optional));
  else if (v.secret) read.push(await readKeys(source, ns, 'secret', v.secret.secretName ?? '', v.secret.items, v.secret.optional));
  else if (v.downwardAPI) read.push(readDownward(pod, container, v.downwardAPI.items ?? [], hostIP));
  else if (v.projected) {
    for (const src of v.projected.sources ?? []) {
      if (src.configMap)
        read.push(await readKeys(source, ns, 'configmap', src.configMap.name ?? '', src.configMap.items, src.configMap.optional));
      if (src.secret) read.push(await readKeys(source, ns, 'secret', src.secret.name ?? '', src.secret.items, src.secret.optional));
      if (src.downwardAPI) read.push(readDownward(pod, container, src.downwardAPI.items ?? [], hostIP));
      if (src.serviceAccountToken) read.push(await readToken(pod, src.serviceAccountToken, source));
    }
  } else return undefined;
  const inputs = read.flatMap(inputsOf);
  const cached = cache?.get(v.name);
  if (cached && sameInputs(cached.inputs, inputs)) {
    Object.assign(modes, cached.modes);
    return cached.files;
  }
  const out: Record<string, Uint8Array> = {};
  const own: Record<string, number> = {};
  const errors: string[] = [];
  for (const r of read) {
    try {
      Object.assign(out, filesOf(r, own));
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      errors.push(err.message);
    }
  }
  if (errors.length) {
    const detail = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    throw new ContainerConfigError(`MountVolume.SetUp failed for volume "${v.name}" : ${detail}`, 'ContainerCreating');
  }
  cache?.set(v.name, { inputs, files: out, modes: own });
  Object.assign(modes, own);
  return out;
}

/** A ConfigMap or Secret source as read (`obj` undefined when absent). */
async function readKeys(
  source: ConfigSource,
  ns: string,
  kind: 'configmap' | 'secret',
  name: string,
  items: core.KeyToPath[] | undefined,
  optional: boolean | undefined,
): Promise<ReadSource> {
  const obj = kind === 'configmap' ? await source.configMap(ns, name) : await source.secret(ns, name);
  return { kind, name, items, optional, obj };
}

/** A downward API source's values, in item order. */
function readDownward(pod: Pod, container: core.Container, items: core.DownwardAPIVolumeFile[], hostIP: string): ReadSource {
  const values = items.map((item) =>
    item.fieldRef
      ? podFieldValue(pod, item.fieldRef.fieldPath, hostIP)
      : item.resourceFieldRef
        ? resourceFieldValue(pod, container, item.resourceFieldRef)
        : '',
  );
  return { kind: 'downward', items, values };
}

/** What identifies a read source's content: an object's uid and resourceVersion (the object itself without them), a token, the values. */
function inputsOf(r: ReadSource): unknown[] {
  if (r.kind === 'token') return ['token', r.token, r.error];
  if (r.kind === 'downward') return ['downward', ...r.values];
  const meta = (r.obj as { metadata?: { uid?: string; resourceVersion?: string } } | undefined)?.metadata;
  return [r.kind, meta?.uid && meta.resourceVersion ? `${meta.uid}/${meta.resourceVersion}` : r.obj];
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The files of one read source; throws SourceError for a missing object or key. */
function filesOf(r: ReadSource, modes: Record<string, number>): Record<string, Uint8Array> {
  if (r.kind === 'token') {
    if (r.token === undefined) throw new SourceError(r.error ?? 'failed to fetch token');
    return { [r.path]: enc.encode(r.token) };
  }
  if (r.kind === 'downward') {
    const out: Record<string, Uint8Array> = {};
    r.items.forEach((item, i) => {
      out[item.path] = enc.encode(r.values[i]);
      if (item.mode !== undefined) modes[item.path] = item.mode;
    });
    return out;
  }
  const data =
    r.obj === undefined
      ? undefined
      : r.kind === 'configmap'
        ? configMapData(r.obj as { data?: Record<string, string>; binaryData?: Record<string, string> })
        : secretStrings(r.obj as { data?: Record<string, string>; stringData?: Record<string, string> });
  return keyFiles(r.kind, r.name, data, r.items, r.optional, modes);
}

/** A serviceAccountToken source as read: the token bound to the pod from the node's token manager, or why there is none. */
async function readToken(pod: Pod, projection: core.ServiceAccountTokenProjection, source: ConfigSource): Promise<ReadSource> {
  const path = projection.path;
  if (!source.serviceAccountToken) return { kind: 'token', path, error: 'failed to fetch token: no token source on this node' };
  try {
    return { kind: 'token', path, token: await source.serviceAccountToken(pod, projection) };
  } catch (err) {
    return { kind: 'token', path, error: `failed to fetch token: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A ConfigMap or Secret source that cannot be had (wrapped with the volume's name by volumeFiles). */
class SourceError extends Error {}

function configMapData(cm: { data?: Record<string, string>; binaryData?: Record<string, string> }): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = { ...(cm.data ?? {}) };
  for (const [k, b64] of Object.entries(cm.binaryData ?? {})) out[k] = new Uint8Array(Buffer.from(b64, 'base64'));
  return out;
}

function keyFiles(
  what: 'configmap' | 'secret',
  name: string,
  data: Record<string, string | Uint8Array> | undefined,
  items: core.KeyToPath[] | undefined,
  optional: boolean | undefined,
  modes: Record<string, number>,
): Record<string, Uint8Array> {
  if (!data) {
    if (optional) return {};
    throw new SourceError(`${what} "${name}" not found`);
  }
  const out: Record<string, Uint8Array> = {};
  const bytes = (v: string | Uint8Array): Uint8Array => (typeof v === 'string' ? enc.encode(v) : v);
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) out[k] = bytes(v);
    return out;
  }
  for (const item of items) {
    const v = data[item.key];
    if (v === undefined) {
      if (optional) continue;
      throw new SourceError(
        what === 'configmap'
          ? `configmap references non-existent config key: ${item.key}`
          : `references non-existent secret key: ${item.key}`,
      );
    }
    out[item.path] = bytes(v);
    if (item.mode !== undefined) modes[item.path] = item.mode;
  }
  return out;
}
