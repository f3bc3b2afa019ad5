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

/** The mounts of one container; throws ContainerConfigError (ContainerCreating) when a required source is missing. */
export async function resolveMounts(pod: Pod, container: core.Container, source: ConfigSource, hostIP: string): Promise<Mount[]> {
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
      const files = await volumeFiles(pod, container, v, source, hostIP, modes);
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
 * The files of a ConfigMap/Secret/downwardAPI/projected volume, or undefined for kinds that mount
 * nothing here; the modes its items ask for (items[].mode) are added to `modes`. A missing
 * source throws the kubelet's `MountVolume.SetUp failed for volume "v" : ...` (a projected
 * volume's errors aggregated as `[a, b]`).
 */
async function volumeFiles(
  pod: Pod,
  container: core.Container,
  v: core.Volume,
  source: ConfigSource,
  hostIP: string,
  modes: Record<string, number>,
): Promise<Record<string, Uint8Array> | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  const fail = (messages: string[]): never => {
    const detail = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
    throw new ContainerConfigError(`MountVolume.SetUp failed for volume "${v.name}" : ${detail}`, 'ContainerCreating');
  };
  const attempt = async (fn: () => Promise<Record<string, Uint8Array>>, errors: string[]): Promise<Record<string, Uint8Array>> => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      errors.push(err.message);
      return {};
    }
  };
  const configMapFiles = (name: string, items: core.KeyToPath[] | undefined, optional: boolean | undefined) => async () =>
    keyFiles('configmap', name, await configMapData(source, ns, name), items, optional, modes);
  const secretFiles = (name: string, items: core.KeyToPath[] | undefined, optional: boolean | undefined) => async () => {
    const s = await source.secret(ns, name);
    return keyFiles('secret', name, s && secretStrings(s), items, optional, modes);
  };
  const errors: string[] = [];
  let out: Record<string, Uint8Array> | undefined;
  if (v.configMap) out = await attempt(configMapFiles(v.configMap.name ?? '', v.configMap.items, v.configMap.optional), errors);
  else if (v.secret) out = await attempt(secretFiles(v.secret.secretName ?? '', v.secret.items, v.secret.optional), errors);
  else if (v.downwardAPI) out = downwardFiles(pod, container, v.downwardAPI.items ?? [], hostIP, modes);
  else if (v.projected) {
    out = {};
    for (const src of v.projected.sources ?? []) {
      if (src.configMap)
        Object.assign(out, await attempt(configMapFiles(src.configMap.name ?? '', src.configMap.items, src.configMap.optional), errors));
      if (src.secret) Object.assign(out, await attempt(secretFiles(src.secret.name ?? '', src.secret.items, src.secret.optional), errors));
      if (src.downwardAPI) Object.assign(out, downwardFiles(pod, container, src.downwardAPI.items ?? [], hostIP, modes));
      if (src.serviceAccountToken) Object.assign(out, await attempt(tokenFile(pod, src.serviceAccountToken, source), errors));
    }
  }
  if (errors.length) fail(errors);
  return out;
}

/** The file of a serviceAccountToken source: a token bound to the pod, from the node's token manager. */
function tokenFile(pod: Pod, projection: core.ServiceAccountTokenProjection, source: ConfigSource) {
  return async (): Promise<Record<string, Uint8Array>> => {
    if (!source.serviceAccountToken) throw new SourceError('failed to fetch token: no token source on this node');
    try {
      return { [projection.path]: enc.encode(await source.serviceAccountToken(pod, projection)) };
    } catch (err) {
      throw new SourceError(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** A ConfigMap or Secret source that cannot be had (wrapped with the volume's name by volumeFiles). */
class SourceError extends Error {}

async function configMapData(source: ConfigSource, ns: string, name: string): Promise<Record<string, string | Uint8Array> | undefined> {
  const cm = await source.configMap(ns, name);
  if (!cm) return undefined;
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

function downwardFiles(
  pod: Pod,
  container: core.Container,
  items: core.DownwardAPIVolumeFile[],
  hostIP: string,
  modes: Record<string, number>,
): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const item of items) {
    const value = item.fieldRef
      ? podFieldValue(pod, item.fieldRef.fieldPath, hostIP)
      : item.resourceFieldRef
        ? resourceFieldValue(pod, container, item.resourceFieldRef)
        : '';
    out[item.path] = enc.encode(value);
    if (item.mode !== undefined) modes[item.path] = item.mode;
  }
  return out;
}
