import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { writeAtomicFiles } from '../atomic-files.js';
import { parseOwner } from '../instance.js';
import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import { RUNTIME_LABELS, type ContainerConfig, type ContainerStatus, type FilesMount, type Mount } from '../types.js';
import { toContainerStatus } from './container-status.js';
import { toContainerPlan, type ContainerPlan } from './container-config.js';
import { dockerStatus, ignoreStatus, toTugboatError } from './errors.js';
import { randomSuffix } from './sandbox.js';
import type { DockerScope } from './scope.js';

const subject = (id: string) => ({ kind: 'Container', name: id });

/**
 * Creates a container in a sandbox: prepares its emptyDir volumes and ConfigMap/Secret files,
 * then creates it joined to the sandbox's namespaces. Returns its id.
 */
export async function createContainer(scope: DockerScope, sandboxId: string, config: ContainerConfig): Promise<string> {
  let sandboxLabels = scope.sandboxLabels.get(sandboxId);
  if (!sandboxLabels) {
    try {
      sandboxLabels = (await scope.docker.getContainer(sandboxId).inspect()).Config?.Labels ?? {};
    } catch (err) {
      throw toTugboatError(err, 'inspect', { kind: 'Sandbox', name: sandboxId });
    }
  }
  const cluster = sandboxLabels[RUNTIME_LABELS.cluster] ?? scope.clusterName;
  config = { ...config, mounts: await Promise.all((config.mounts ?? []).map((m) => volumeSubPath(scope, m))) };
  const plan = toContainerPlan(config, {
    sandboxId,
    clusterName: cluster,
    nodeName: scope.nodeName,
    sandboxLabels,
    filesRoot: scope.podFilesDir(sandboxLabels, sandboxId),
    nameSuffix: randomSuffix(),
  });
  await prepare(scope, plan, sandboxLabels);
  try {
    const c = await scope.docker.createContainer(plan.options);
    return c.id;
  } catch (err) {
    throw toTugboatError(err, 'create', subject(config.name));
  }
}

/**
 * A named volume's subPath as a bind mount of that folder of the volume (its mountpoint on the
 * daemon's host; the folder is made when missing, as the kubelet does): Docker before API 1.45
 * cannot mount part of a volume.
 */
async function volumeSubPath(scope: DockerScope, m: Mount): Promise<Mount> {
  if (m.kind !== 'volume' || !m.subPath) return m;
  if (path.posix.isAbsolute(m.subPath) || m.subPath.split('/').includes('..'))
    throw TugboatError.invalid({ kind: 'Container' }, m.name, [fieldError('subPath', 'must be a relative path without ".."')]);
  let mountpoint: string;
  try {
    mountpoint = (await scope.docker.getVolume(m.name).inspect()).Mountpoint;
  } catch (err) {
    throw toTugboatError(err, 'inspect', { kind: 'Volume', name: m.name });
  }
  const dir = path.join(mountpoint, m.subPath);
  await mkdir(dir, { recursive: true, mode: 0o777 });
  return { kind: 'hostPath', hostPath: dir, containerPath: m.containerPath, ...(m.readOnly !== undefined ? { readOnly: m.readOnly } : {}) };
}

async function prepare(scope: DockerScope, plan: ContainerPlan, sandboxLabels: Record<string, string>): Promise<void> {
  for (const v of plan.volumes) {
    try {
      await scope.docker.createVolume({
        Name: v.name,
        Labels: v.labels,
        ...(v.memory ? { Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } } : {}),
      });
    } catch (err) {
      throw toTugboatError(err, 'create', { kind: 'Volume', name: v.name });
    }
  }
  if (plan.files.length > 0) await preparePodDir(scope, sandboxLabels, plan.files[0].dir);
  for (const f of plan.files) {
    // The volume folder is what the container sees: readable by its user; the 0700 folders
    // above it keep the files from other users of this machine.
    await writeAtomicFiles(f.dir, f.files, { mode: f.mode, modes: f.modes });
  }
}

/**
 * Makes the instance folder (0700, with owner.json naming the cluster instance and its owner,
 * so a reclaim can tell when it is left over) and the pod's folder (0700) above a volume folder.
 */
async function preparePodDir(scope: DockerScope, sandboxLabels: Record<string, string>, volumeDir: string): Promise<void> {
  const podDir = path.dirname(volumeDir);
  const instanceDir = path.dirname(podDir);
  await mkdir(podDir, { recursive: true, mode: 0o700 });
  await chmod(instanceDir, 0o700);
  await chmod(podDir, 0o700);
  const owner = parseOwner(sandboxLabels[RUNTIME_LABELS.owner]);
  const record = {
    instance: sandboxLabels[RUNTIME_LABELS.instance] ?? '',
    cluster: sandboxLabels[RUNTIME_LABELS.cluster] ?? scope.clusterName,
    ...(owner ? { owner } : {}),
  };
  await writeFile(path.join(instanceDir, OWNER_FILE), JSON.stringify(record), { mode: 0o600, flag: 'wx' }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
}

/** The file naming the owner of an instance folder of the state directory. */
export const OWNER_FILE = 'owner.json';

/** Starts a created container (a running one is left as is). */
export async function startContainer(scope: DockerScope, id: string): Promise<void> {
  try {
    await scope.docker.getContainer(id).start();
  } catch (err) {
    if (dockerStatus(err) === 304) return;
    throw toTugboatError(err, 'start', subject(id));
  }
}

/**
 * Stops a container: SIGTERM, SIGKILL after the grace period (docker stop with t = grace in
 * whole seconds, rounded up); resolves once it has exited. Idempotent (a gone or stopped
 * container is fine).
 */
export async function stopContainer(scope: DockerScope, id: string, graceMs: number): Promise<void> {
  const c = scope.docker.getContainer(id);
  try {
    await ignoreStatus(c.stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) }), 304);
    await ignoreStatus(c.wait({ condition: 'not-running' }));
  } catch (err) {
    throw toTugboatError(err, 'stop', subject(id));
  }
}

/** Removes a container (forcefully, with its anonymous volumes). Idempotent. */
export async function removeContainer(scope: DockerScope, id: string): Promise<void> {
  try {
    await scope.docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 404) return;
    if (status === 409 && /already in progress/.test(String((err as Error).message))) return;
    throw toTugboatError(err, 'remove', subject(id));
  }
}

/**
 * Rewrites the files of a container's files mount in place (the `..data` swap) in the folder
 * bind-mounted at `mount.containerPath`, which must be one of this instance's pod folders.
 */
export async function updateFiles(scope: DockerScope, id: string, mount: FilesMount): Promise<void> {
  let mounts: { Type?: string; Source?: string; Destination?: string }[];
  try {
    mounts = (await scope.docker.getContainer(id).inspect()).Mounts ?? [];
  } catch (err) {
    throw toTugboatError(err, 'inspect', subject(id));
  }
  const source = mounts.find((m) => m.Type === 'bind' && m.Destination === mount.containerPath)?.Source;
  const root = scope.stateDir + path.sep;
  if (!source || !path.resolve(source).startsWith(root)) {
    throw TugboatError.badRequest(`container ${id} has no files mount at ${mount.containerPath}`);
  }
  await writeAtomicFiles(source, mount.files, { mode: mount.mode ?? 0o644, ...(mount.modes ? { modes: mount.modes } : {}) });
}

/** One container's status; throws NotFound when it does not exist. */
export async function inspectContainer(scope: DockerScope, id: string): Promise<ContainerStatus> {
  try {
    return toContainerStatus(await scope.docker.getContainer(id).inspect());
  } catch (err) {
    throw toTugboatError(err, 'inspect', subject(id));
  }
}

/** Containers (any state, sandboxes excluded) whose labels include every given label. */
export async function listContainers(scope: DockerScope, labels: Record<string, string> = {}): Promise<ContainerStatus[]> {
  return scope.inspectAll('container', labels, (id) => inspectContainer(scope, id));
}
