/**
 * A pod's containers: a containerd container (spec, snapshot, labels) made by createContainer,
 * its task made and started by startContainer with stdout/stderr FIFOs pumped into a CRI log file
 * (and a stdin FIFO for attach when the pod spec asks for `stdin`, a terminal for `tty`),
 * stopped with a grace period, removed with everything it has.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import { exitReason, hasLabels } from '../conventions.js';
import { containerLabelsFor } from '../pod-labels.js';
import { writeAtomicFiles } from '../atomic-files.js';
import { RUNTIME_LABELS, type ContainerConfig, type ContainerStatus, type FilesMount } from '../types.js';
import { etcMounts, planMounts, prepareMounts } from './container-mounts.js';
import { makeFifos } from './fifo.js';
import { findImage } from './images.js';
import { LogPump, logPaths } from './log-pump.js';
import { ALL_CAPABILITIES, buildSpec, capabilitiesOfMask, imageUser, mergeEnv, processArgs } from './oci-spec.js';
import { cgroupPath, describe, newId, specAny } from './sandbox.js';
import { safe, toDate, type ContainerdScope, type ContainerRecord, type TaskRecord } from './scope.js';
import { deleteContainerRecord, destroyTask, removeSnapshot, stopTask } from './tasks.js';
import { CONTAINERD_LABELS } from './types.js';

const subject = (name: string) => ({ kind: 'Container', name });

/** The bounding set of this process (root, beside containerd): what a privileged container may get. */
async function hostCapabilities(): Promise<string[]> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const hex = /^CapBnd:\s*([0-9a-f]+)/m.exec(status)?.[1];
  return hex ? capabilitiesOfMask(hex) : ALL_CAPABILITIES;
}

/** Maps a container and its task to a ContainerStatus (pure). */
export function toContainerStatus(c: ContainerRecord, task: TaskRecord | undefined): ContainerStatus {
  const labels = { ...c.labels };
  const state: ContainerStatus['state'] = !task
    ? labels[CONTAINERD_LABELS.started]
      ? 'exited'
      : 'created'
    : task.status === 'CREATED'
      ? 'created'
      : task.status === 'STOPPED'
        ? 'exited'
        : task.status === 'UNKNOWN'
          ? 'unknown'
          : 'running';
  const status: ContainerStatus = {
    id: c.id,
    sandboxId: labels[CONTAINERD_LABELS.sandbox] ?? '',
    name: labels[RUNTIME_LABELS.container] ?? c.id,
    image: c.image,
    state,
    createdAt: toDate(c.created_at) ?? new Date(0),
    labels,
  };
  const started = labels[CONTAINERD_LABELS.started] ? new Date(labels[CONTAINERD_LABELS.started]) : undefined;
  if (started && !Number.isNaN(started.getTime())) status.startedAt = started;
  if (state === 'exited') {
    status.exitCode = task?.exit_status ?? 255;
    status.reason = labels[CONTAINERD_LABELS.oom] === 'true' ? 'OOMKilled' : exitReason(status.exitCode);
    const finished = toDate(task?.exited_at);
    if (finished) status.finishedAt = finished;
  }
  return status;
}

/** Creates a container in a sandbox (joined to the sandbox task's namespaces); returns its id. */
export async function createContainer(scope: ContainerdScope, sandboxId: string, config: ContainerConfig): Promise<string> {
  const sandbox = await scope.getContainer(sandboxId);
  if (sandbox?.labels[RUNTIME_LABELS.role] !== 'sandbox') {
    throw new TugboatError('NotFound', `containerd: no sandbox ${sandboxId} for container ${config.name}`, {
      kind: 'Sandbox',
      name: sandboxId,
    });
  }
  const pause = await scope.getTask(sandboxId);
  if (pause?.status !== 'RUNNING') {
    throw new TugboatError('Conflict', `containerd: sandbox ${sandboxId} is not running (container ${config.name})`, {
      kind: 'Sandbox',
      name: sandboxId,
    });
  }
  if (!config.image)
    throw TugboatError.invalid({ kind: 'Container' }, config.name, [fieldError('image', 'must not be empty', 'FieldValueRequired')]);
  const podDir = scope.podDir(sandboxId, sandbox.labels);
  const plan = planMounts(config.name, config.mounts, podDir, scope.podShmDir(sandboxId, sandbox.labels));
  const image = await findImage(scope, config.image);
  if (!image) {
    throw new TugboatError(
      'NotFound',
      `containerd: image "${config.image}" is not present in namespace ${scope.namespace} (ensureImage first)`,
      { kind: 'Image', name: config.image },
    );
  }
  const labels: Record<string, string> = {
    ...containerLabelsFor(config, sandbox.labels, scope.clusterName, scope.nodeName),
    [CONTAINERD_LABELS.sandbox]: sandboxId,
  };
  delete labels[CONTAINERD_LABELS.started];
  for (const key of [CONTAINERD_LABELS.stdin, CONTAINERD_LABELS.stdinOnce, CONTAINERD_LABELS.tty]) delete labels[key];
  if (config.stdin) labels[CONTAINERD_LABELS.stdin] = 'true';
  if (config.stdin && config.stdinOnce) labels[CONTAINERD_LABELS.stdinOnce] = 'true';
  if (config.tty) labels[CONTAINERD_LABELS.tty] = 'true';
  const hostNetwork = sandbox.labels[CONTAINERD_LABELS.hostNetwork] === 'true';
  const ns = (type: string) => `/proc/${pause.pid}/ns/${type}`;
  const sec = config.security ?? {};
  const user = imageUser(image.config.User);
  const spec = buildSpec({
    args: processArgs(image.config, config.command, config.args),
    // A terminal gets TERM=xterm unless the pod sets it, as containerd's CRI plugin and Docker do.
    env: mergeEnv(image.config.Env, config.tty ? { TERM: 'xterm', ...config.env } : config.env),
    cwd: config.workingDir || image.config.WorkingDir || '/',
    uid: sec.runAsUser ?? user.uid,
    gid: sec.runAsGroup ?? (sec.runAsUser !== undefined ? 0 : user.gid),
    mounts: [...plan.mounts, ...etcMounts(podDir, plan.mounts)],
    join: hostNetwork ? { ipc: ns('ipc') } : { network: ns('net'), ipc: ns('ipc'), uts: ns('uts') },
    host: hostNetwork ? ['network', 'uts'] : [],
    cgroupsPath: '',
    cpuMillis: config.resources.cpuMillis,
    memoryBytes: config.resources.memoryBytes,
    readonlyRoot: sec.readOnlyRootFilesystem,
    terminal: config.tty ?? false,
    privileged: sec.privileged,
    capabilitiesAdd: sec.capabilitiesAdd,
    capabilitiesDrop: sec.capabilitiesDrop,
    ...(sec.privileged || sec.capabilitiesAdd?.some((c) => c.toUpperCase() === 'ALL')
      ? { hostCapabilities: await hostCapabilities() }
      : {}),
  });
  if (spec.process.args.length === 0) {
    throw TugboatError.invalid({ kind: 'Container' }, config.name, [
      fieldError('command', `image ${config.image} has no entrypoint or command: give one`, 'FieldValueRequired'),
    ]);
  }
  const id = newId();
  spec.linux.cgroupsPath = cgroupPath(scope, id);
  await prepareMounts(plan);
  try {
    // Under a lease until the container record references the snapshot (else GC may take it).
    await scope.withLease(async (lease) => {
      await scope.call(
        'snapshots',
        'Prepare',
        { snapshotter: scope.snapshotter, key: id, parent: image.chainId, labels: { [RUNTIME_LABELS.role]: 'container' } },
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
    });
  } catch (err) {
    await removeSnapshot(scope, id).catch(() => undefined);
    throw new TugboatError(
      'InternalError',
      `containerd: create Container ${config.name}: ${describe(scope.wrap(err))}`,
      subject(config.name),
    );
  }
  scope.labelCache.set(id, labels);
  return id;
}

/** Starts a created container: its task with FIFOs pumped into its log file. A running one is left as is. */
export async function startContainer(scope: ContainerdScope, id: string): Promise<void> {
  const c = await scope.getContainer(id);
  if (!c) throw new TugboatError('NotFound', `containerd: no container ${id}`, subject(id));
  const existing = await scope.getTask(id);
  if (existing && existing.status !== 'CREATED' && existing.status !== 'STOPPED') return;
  if (existing) {
    await destroyTask(scope, id);
    scope.pumps.get(id)?.close();
    scope.pumps.delete(id);
  }
  const dir = scope.containerDir(id, c.labels);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = logPaths(dir);
  const tty = c.labels[CONTAINERD_LABELS.tty] === 'true';
  // The shim holds a writer of its own on a stdin FIFO (until CloseIO), so attached clients come and go.
  const stdin = c.labels[CONTAINERD_LABELS.stdin] === 'true' ? path.join(dir, 'stdin') : '';
  if (stdin) await makeFifos([stdin]);
  const pump = await LogPump.forNewTask(paths);
  let startedAt = new Date();
  scope.pumps.set(id, pump);
  void pump.done.finally(() => {
    if (scope.pumps.get(id) === pump) scope.pumps.delete(id);
  });
  try {
    const { mounts } = await scope.call<{ mounts: object[] }>('snapshots', 'Mounts', {
      snapshotter: scope.snapshotter,
      key: c.snapshot_key || id,
    });
    // On a terminal the shim copies the console to stdout alone (as ctr does): no stderr FIFO.
    await scope.call('tasks', 'Create', {
      container_id: id,
      rootfs: mounts,
      stdin,
      stdout: paths.stdout,
      stderr: tty ? '' : paths.stderr,
      terminal: tty,
    });
    pump.release();
    startedAt = new Date();
    await scope.call('tasks', 'Start', { container_id: id });
  } catch (err) {
    pump.close();
    await destroyTask(scope, id).catch(() => undefined);
    throw new TugboatError('InternalError', `containerd: start Container ${id}: ${describe(scope.wrap(err))}`, subject(id));
  }
  const latest = scope.labelCache.get(id) ?? c.labels;
  await scope.setLabels(id, { ...latest, [CONTAINERD_LABELS.started]: startedAt.toISOString() });
}

/** Stops a container: SIGTERM, SIGKILL after the grace period; resolves once it has exited. Idempotent. */
export async function stopContainer(scope: ContainerdScope, id: string, graceMs: number): Promise<void> {
  await stopTask(scope, id, graceMs);
  const pump = scope.pumps.get(id);
  if (pump) await Promise.race([pump.done, new Promise((r) => setTimeout(r, 2000).unref())]);
}

/** Removes a container: its task (killed), record, snapshot, FIFOs and log. Idempotent. */
export async function removeContainer(scope: ContainerdScope, id: string): Promise<void> {
  const c = await scope.getContainer(id);
  if (!c) return;
  await destroyTask(scope, id);
  scope.pumps.get(id)?.close();
  scope.pumps.delete(id);
  await deleteContainerRecord(scope, id);
  await removeSnapshot(scope, c.snapshot_key || id);
  await rm(scope.containerDir(id, c.labels), { recursive: true, force: true });
}

/** Rewrites a container's files mount in its pod folder (the `..data` swap, seen through the bind mount). */
export async function updateFiles(scope: ContainerdScope, id: string, mount: FilesMount): Promise<void> {
  const c = await scope.getContainer(id);
  if (!c) throw new TugboatError('NotFound', `containerd: no container ${id}`, subject(id));
  const sandboxId = c.labels[CONTAINERD_LABELS.sandbox] ?? '';
  const sandbox = await scope.getContainer(sandboxId);
  if (!sandbox) throw new TugboatError('NotFound', `containerd: no sandbox ${sandboxId} for container ${id}`, subject(id));
  const dir = path.join(scope.podDir(sandboxId, sandbox.labels), 'files', safe(mount.volume));
  await writeAtomicFiles(dir, mount.files, { mode: mount.mode ?? 0o644, ...(mount.modes ? { modes: mount.modes } : {}) });
}

/** One container's status; throws NotFound when it does not exist. */
export async function inspectContainer(scope: ContainerdScope, id: string): Promise<ContainerStatus> {
  const c = await scope.getContainer(id);
  if (c?.labels[RUNTIME_LABELS.role] !== 'container') throw new TugboatError('NotFound', `containerd: no container ${id}`, subject(id));
  return toContainerStatus(c, await scope.getTask(id));
}

/** Containers (any state, sandboxes excluded) whose labels include every given label. */
export async function listContainers(scope: ContainerdScope, labels: Record<string, string> = {}): Promise<ContainerStatus[]> {
  const all = await scope.listRole('container');
  return all.filter((x) => hasLabels(x.container.labels, labels)).map((x) => toContainerStatus(x.container, x.task));
}
