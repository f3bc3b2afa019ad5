/**
 * Pod sandboxes: a pause task holding the pod's network, IPC and UTS namespaces, its network set
 * up by CNI on /proc/<pid>/ns/net, its pod IP and start time kept in its labels.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { TugboatError } from '../../model/errors.js';
import { hasLabels } from '../conventions.js';
import { sandboxLabelsFor } from '../pod-labels.js';
import { ImagePullError, RUNTIME_LABELS, type PortMapping, type SandboxConfig, type SandboxStatus } from '../types.js';
import { cniAdd, cniDel, LOOPBACK, loadConflist, podIp, type CniNetwork } from './cni.js';
import { ensureImage, findImage, type ResolvedImage } from './images.js';
import { buildSpec, imageUser, mergeEnv, processArgs } from './oci-spec.js';
import { dropCniResult, loadCniResult, makePodDir, saveCniResult, writeEtcFiles } from './pod-files.js';
import { toDate, type ContainerdScope, type ContainerRecord, type TaskRecord } from './scope.js';
import { deleteContainerRecord, destroyTask, removeSnapshot, stopTask } from './tasks.js';
import { CONTAINERD_LABELS } from './types.js';

/** A new containerd container id: 32 hex digits. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** The cgroup (cgroupfs path) of a task: `/tugboat/<namespace>/<id>`. */
export function cgroupPath(scope: ContainerdScope, id: string): string {
  return `/tugboat/${scope.namespace}/${id}`;
}

/** The OCI spec of a container as containerd stores it in an Any. */
export function specAny(spec: object): { type_url: string; value: Buffer } {
  return { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from(JSON.stringify(spec)) };
}

/** Maps a sandbox container and its task to a SandboxStatus (pure). */
export function toSandboxStatus(c: ContainerRecord, task: TaskRecord | undefined): SandboxStatus {
  const labels = { ...c.labels };
  const startedAt = labels[CONTAINERD_LABELS.started] ? new Date(labels[CONTAINERD_LABELS.started]) : undefined;
  return {
    id: c.id,
    ip: labels[CONTAINERD_LABELS.hostNetwork] === 'true' ? '127.0.0.1' : (labels[CONTAINERD_LABELS.ip] ?? ''),
    state: task?.status === 'RUNNING' ? 'ready' : 'notready',
    labels,
    createdAt: toDate(c.created_at) ?? new Date(0),
    ...(startedAt && !Number.isNaN(startedAt.getTime()) ? { startedAt } : {}),
  };
}

/** The sandbox image, present (pulled when missing), with a hint of how to import it otherwise. */
async function sandboxImage(scope: ContainerdScope): Promise<ResolvedImage> {
  try {
    await ensureImage(scope, scope.sandboxImage, 'IfNotPresent');
  } catch (err) {
    if (!(err instanceof ImagePullError)) throw err;
    throw new ImagePullError(
      scope.sandboxImage,
      `${err.message}; the sandbox image must be in containerd namespace ${scope.namespace}: import it ` +
        `(docker save ${scope.sandboxImage} | ctr -n ${scope.namespace} images import -, as .ci/containerd.sh does) or set the sandboxImage option`,
    );
  }
  const image = await findImage(scope, scope.sandboxImage);
  if (!image) throw new ImagePullError(scope.sandboxImage, `sandbox image "${scope.sandboxImage}" is absent after ensureImage`);
  return image;
}

/** The pod network (the conflist is read for each sandbox, so a changed file applies to new pods). */
async function podNetwork(scope: ContainerdScope): Promise<CniNetwork> {
  return { binDirs: scope.binDirs, conflist: await loadConflist(scope.conflistPath) };
}

/** Creates and starts a pod's sandbox; on any failure removes what it made. */
export async function runSandbox(scope: ContainerdScope, config: SandboxConfig): Promise<SandboxStatus> {
  const labels = sandboxLabelsFor(config, scope.clusterName, scope.nodeName, scope.instance.labels);
  if (config.hostNetwork) labels[CONTAINERD_LABELS.hostNetwork] = 'true';
  if (labels[RUNTIME_LABELS.instance] === scope.instance.id) await scope.instance.acquire();
  const net = config.hostNetwork ? undefined : await podNetwork(scope);
  const image = await sandboxImage(scope);
  const id = newId();
  const dir = scope.podDir(id, labels);
  const subject = { kind: 'Sandbox', name: `${config.namespace}/${config.podName}` };
  let netUp = false;
  try {
    await makePodDir(scope, dir, labels);
    const user = imageUser(image.config.User);
    const spec = buildSpec({
      args: processArgs(image.config),
      env: mergeEnv(image.config.Env, {}),
      cwd: image.config.WorkingDir ?? '/',
      ...user,
      hostname: config.hostNetwork ? undefined : config.hostname.slice(0, 63),
      mounts: [],
      join: {},
      host: config.hostNetwork ? ['network', 'uts'] : [],
      cgroupsPath: cgroupPath(scope, id),
    });
    // Under a lease until the container record references the snapshot (else GC may take it).
    const mounts = await scope.withLease(async (lease) => {
      const prepared = await scope.call<{ mounts: object[] }>(
        'snapshots',
        'Prepare',
        { snapshotter: scope.snapshotter, key: id, parent: image.chainId, labels: { [RUNTIME_LABELS.role]: 'sandbox' } },
        { lease },
      );
      await scope.call(
        'containers',
        'Create',
        {
          container: {
            id,
            labels,
            image: image.name,
            runtime: { name: scope.runtimeName },
            spec: specAny(spec),
            snapshotter: scope.snapshotter,
            snapshot_key: id,
          },
        },
        { lease },
      );
      return prepared.mounts;
    });
    scope.labelCache.set(id, labels);
    await scope.call('tasks', 'Create', { container_id: id, rootfs: mounts });
    const { pid } = await scope.call<{ pid: number }>('tasks', 'Start', { container_id: id });
    let ip = '';
    if (net) {
      const netns = `/proc/${pid}/ns/net`;
      await cniAdd({ binDirs: net.binDirs, conflist: LOOPBACK }, { containerId: id, netns, ifname: 'lo' });
      netUp = true;
      const result = await cniAdd(net, { containerId: id, netns, ifname: 'eth0', portMappings: config.ports });
      await saveCniResult(dir, result, config.ports);
      ip = podIp(result);
    }
    await writeEtcFiles(dir, config.hostname.slice(0, 63), ip);
    const final = { ...labels, [CONTAINERD_LABELS.started]: new Date().toISOString(), ...(ip ? { [CONTAINERD_LABELS.ip]: ip } : {}) };
    await scope.setLabels(id, final);
    const c = await scope.getContainer(id);
    return toSandboxStatus(c!, await scope.getTask(id));
  } catch (err) {
    if (netUp && net) await cniDel(net, { containerId: id, netns: '', ifname: 'eth0', portMappings: config.ports }).catch(() => undefined);
    await destroyTask(scope, id).catch(() => undefined);
    await deleteContainerRecord(scope, id).catch(() => undefined);
    await removeSnapshot(scope, id).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    if (err instanceof TugboatError || err instanceof ImagePullError) throw err;
    throw new TugboatError('InternalError', `containerd: run Sandbox ${subject.name}: ${describe(scope.wrap(err))}`, subject);
  }
}

/** A gRPC error's message (its details), or the error's. */
export function describe(err: unknown): string {
  const e = err as { details?: string; message?: string };
  return e?.details || e?.message || String(err);
}

/** Tears a sandbox's pod network down (CNI DEL with its ADD result); idempotent. */
async function networkDown(scope: ContainerdScope, c: ContainerRecord, task: TaskRecord | undefined): Promise<void> {
  if (c.labels[CONTAINERD_LABELS.hostNetwork] === 'true') return;
  const dir = scope.podDir(c.id, c.labels);
  const kept = await loadCniResult(dir);
  if (!kept) return;
  const net = await podNetwork(scope);
  const netns = task && task.status === 'RUNNING' && task.pid ? `/proc/${task.pid}/ns/net` : '';
  await cniDel(net, { containerId: c.id, netns, ifname: 'eth0', portMappings: kept.portMappings as PortMapping[] }, kept.result);
  await dropCniResult(dir);
}

/** One sandbox's status; throws NotFound when it does not exist. */
export async function inspectSandbox(scope: ContainerdScope, id: string): Promise<SandboxStatus> {
  const c = await scope.getContainer(id);
  if (c?.labels[RUNTIME_LABELS.role] !== 'sandbox')
    throw new TugboatError('NotFound', `containerd: no sandbox ${id}`, { kind: 'Sandbox', name: id });
  return toSandboxStatus(c, await scope.getTask(id));
}

/** Stops a sandbox: its network down, its pause task stopped (SIGTERM, SIGKILL after 2 s). Idempotent. */
export async function stopSandbox(scope: ContainerdScope, id: string): Promise<void> {
  const c = await scope.getContainer(id);
  if (!c) return;
  const task = await scope.getTask(id);
  await networkDown(scope, c, task).catch(() => undefined);
  await stopTask(scope, id, 2000);
}

/**
 * Removes a sandbox, every container of its pod still there, its network, snapshot and files
 * (emptyDirs, ConfigMap/Secret files, /etc files). Idempotent.
 */
export async function removeSandbox(scope: ContainerdScope, id: string, removeContainer: (id: string) => Promise<void>): Promise<void> {
  const c = await scope.getContainer(id);
  if (!c) return;
  const podUid = c.labels[RUNTIME_LABELS.podUid];
  if (podUid) {
    const members = (await scope.listRole('container')).filter(
      (m) =>
        m.container.labels[CONTAINERD_LABELS.sandbox] === id ||
        (m.container.labels[RUNTIME_LABELS.podUid] === podUid &&
          m.container.labels[RUNTIME_LABELS.cluster] === c.labels[RUNTIME_LABELS.cluster]),
    );
    await Promise.all(members.map((m) => removeContainer(m.container.id)));
  }
  const task = await scope.getTask(id);
  await networkDown(scope, c, task).catch(() => undefined);
  await destroyTask(scope, id);
  await deleteContainerRecord(scope, id);
  await removeSnapshot(scope, id);
  await rm(scope.podDir(id, c.labels), { recursive: true, force: true });
  await rm(scope.podShmDir(id, c.labels), { recursive: true, force: true });
}

/** Sandboxes (any state) whose labels include every given label. */
export async function listSandboxes(scope: ContainerdScope, labels: Record<string, string> = {}): Promise<SandboxStatus[]> {
  const all = await scope.listRole('sandbox');
  return all.filter((x) => hasLabels(x.container.labels, labels)).map((x) => toSandboxStatus(x.container, x.task));
}
