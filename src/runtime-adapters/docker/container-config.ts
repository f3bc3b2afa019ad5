import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import { containerLabelsFor } from '../pod-labels.js';
import { isSingleFile, singleFileDir } from '../atomic-files.js';
import { RUNTIME_LABELS, type ContainerConfig, type Mount } from '../types.js';

/** Where a pod's containers are: what createContainer learns from the sandbox. */
export interface PodPlacement {
  sandboxId: string;
  clusterName: string;
  nodeName: string;
  /** The sandbox's labels (pod uid, namespace and name among them). */
  sandboxLabels: Record<string, string>;
  /** Folder holding this pod's ConfigMap/Secret files on the daemon's host. */
  filesRoot: string;
  /** A few random characters making the container's name unique. */
  nameSuffix: string;
}

/** A Docker volume that must exist before the container is created (an emptyDir). */
export interface VolumeToCreate {
  name: string;
  labels: Record<string, string>;
  /** tmpfs-backed when true (emptyDir medium Memory). */
  memory: boolean;
}

/** Files to write on the host before the container is created (a ConfigMap/Secret volume). */
export interface FilesToWrite {
  dir: string;
  files: Record<string, Uint8Array>;
  /** The mode of every file (the volume's defaultMode). */
  mode: number;
  /** Per-file modes (items' mode), winning over `mode`. */
  modes: Record<string, number>;
}

/** Docker's container-create body, as far as tugboat sets it. */
export interface DockerCreateOptions {
  name: string;
  Image: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env: string[];
  WorkingDir?: string;
  User?: string;
  Tty: boolean;
  /** Keep stdin open for attach (pod spec `stdin`). */
  OpenStdin?: boolean;
  /** Close stdin when the first attached client closes it (`stdinOnce`). */
  StdinOnce?: boolean;
  Labels: Record<string, string>;
  HostConfig: {
    NetworkMode: string;
    IpcMode: string;
    RestartPolicy: { Name: 'no' };
    NanoCpus?: number;
    Memory?: number;
    MemorySwap?: number;
    Binds: string[];
    Mounts: Array<{ Type: 'volume' | 'bind'; Source: string; Target: string; ReadOnly: boolean }>;
    ReadonlyRootfs?: boolean;
    Privileged?: boolean;
    CapAdd?: string[];
    CapDrop?: string[];
  };
}

/** What createContainer does: the create body plus volumes and files to prepare first. */
export interface ContainerPlan {
  options: DockerCreateOptions;
  volumes: VolumeToCreate[];
  files: FilesToWrite[];
}

/** The Docker volume of a pod's emptyDir: one per pod and volume name, shared by its containers. */
export function emptyDirVolumeName(podUid: string, volume: string): string {
  return `tugboat-${podUid}-${volume}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** A readable, unique Docker name: `tb_<namespace>_<pod>_<container>_<attempt>_<suffix>`. */
export function containerName(labels: Record<string, string>, suffix: string): string {
  const parts = [
    'tb',
    labels[RUNTIME_LABELS.namespace],
    labels[RUNTIME_LABELS.podName],
    labels[RUNTIME_LABELS.container],
    labels[RUNTIME_LABELS.attempt],
    suffix,
  ];
  return parts.map((p) => (p ?? '').replace(/[^a-zA-Z0-9.-]/g, '-')).join('_');
}

/**
 * Turns a ContainerConfig into Docker's create body (pure). Kubernetes semantics: `command`
 * replaces the image's ENTRYPOINT and drops its CMD; `args` replaces CMD only. The container
 * joins the sandbox's network and IPC namespaces; it restarts never (the node agent decides).
 */
export function toContainerPlan(config: ContainerConfig, at: PodPlacement): ContainerPlan {
  const labels = containerLabelsFor(config, at.sandboxLabels, at.clusterName, at.nodeName);
  const podUid = labels[RUNTIME_LABELS.podUid];
  const options: DockerCreateOptions = {
    name: containerName(labels, at.nameSuffix),
    Image: config.image,
    Env: Object.entries(config.env).map(([k, v]) => `${k}=${v}`),
    Tty: config.tty ?? false,
    ...(config.stdin ? { OpenStdin: true, StdinOnce: config.stdinOnce ?? false } : {}),
    Labels: labels,
    HostConfig: {
      NetworkMode: `container:${at.sandboxId}`,
      IpcMode: `container:${at.sandboxId}`,
      RestartPolicy: { Name: 'no' },
      Binds: [],
      Mounts: [],
    },
  };
  if (config.command && config.command.length > 0) {
    options.Entrypoint = [...config.command];
    if (config.args && config.args.length > 0) options.Cmd = [...config.args];
  } else if (config.args && config.args.length > 0) {
    options.Cmd = [...config.args];
  }
  if (config.workingDir) options.WorkingDir = config.workingDir;

  const { cpuMillis, memoryBytes } = config.resources;
  if (cpuMillis !== undefined && cpuMillis > 0) options.HostConfig.NanoCpus = Math.round(cpuMillis * 1e6);
  if (memoryBytes !== undefined && memoryBytes > 0) {
    options.HostConfig.Memory = Math.round(memoryBytes);
    options.HostConfig.MemorySwap = Math.round(memoryBytes); // no swap: over the limit means OOM kill
  }

  const sec = config.security;
  if (sec) {
    if (sec.runAsUser !== undefined)
      options.User = sec.runAsGroup !== undefined ? `${sec.runAsUser}:${sec.runAsGroup}` : `${sec.runAsUser}`;
    if (sec.readOnlyRootFilesystem) options.HostConfig.ReadonlyRootfs = true;
    if (sec.privileged === true) options.HostConfig.Privileged = true;
    if (sec.capabilitiesAdd?.length) options.HostConfig.CapAdd = [...sec.capabilitiesAdd];
    if (sec.capabilitiesDrop?.length) options.HostConfig.CapDrop = [...sec.capabilitiesDrop];
  }

  const volumes: VolumeToCreate[] = [];
  const files: FilesToWrite[] = [];
  config.mounts.forEach((m, i) => addMount(m, i, podUid, labels, at, options, volumes, files));
  return { options, volumes, files };
}

function addMount(
  m: Mount,
  index: number,
  podUid: string,
  labels: Record<string, string>,
  at: PodPlacement,
  options: DockerCreateOptions,
  volumes: VolumeToCreate[],
  files: FilesToWrite[],
): void {
  const field = `mounts[${index}]`;
  if (!path.posix.isAbsolute(m.containerPath)) {
    throw TugboatError.invalid({ kind: 'Container' }, labels[RUNTIME_LABELS.container], [
      fieldError(`${field}.containerPath`, 'must be an absolute path'),
    ]);
  }
  const readOnly = m.readOnly ?? false;
  if (m.kind === 'volume') {
    options.HostConfig.Mounts.push({ Type: 'volume', Source: m.name, Target: m.containerPath, ReadOnly: readOnly });
  } else if (m.kind === 'hostPath') {
    options.HostConfig.Binds.push(`${m.hostPath}:${m.containerPath}${readOnly ? ':ro' : ''}`);
  } else if (m.kind === 'emptyDir') {
    const name = emptyDirVolumeName(podUid, m.volume);
    volumes.push({
      name,
      memory: m.medium === 'Memory',
      labels: {
        [RUNTIME_LABELS.cluster]: labels[RUNTIME_LABELS.cluster],
        [RUNTIME_LABELS.podUid]: podUid,
        [RUNTIME_LABELS.role]: 'volume',
        ...(labels[RUNTIME_LABELS.instance] ? { [RUNTIME_LABELS.instance]: labels[RUNTIME_LABELS.instance] } : {}),
        ...(labels[RUNTIME_LABELS.owner] ? { [RUNTIME_LABELS.owner]: labels[RUNTIME_LABELS.owner] } : {}),
      },
    });
    options.HostConfig.Mounts.push({ Type: 'volume', Source: name, Target: m.containerPath, ReadOnly: readOnly });
  } else if (isSingleFile(m)) {
    // A subPath to one key: the file itself is bind-mounted (it never follows updates, as in Kubernetes).
    const file = path.posix.basename(m.containerPath) || 'file';
    const dir = path.join(at.filesRoot, singleFileDir(m.volume, labels[RUNTIME_LABELS.container] ?? '', index));
    files.push({ dir, files: { [file]: m.files[''] }, mode: m.modes?.[''] ?? m.mode ?? 0o644, modes: {} });
    options.HostConfig.Mounts.push({ Type: 'bind', Source: path.join(dir, file), Target: m.containerPath, ReadOnly: m.readOnly ?? true });
  } else {
    for (const key of Object.keys(m.files)) {
      if (key === '' || path.posix.isAbsolute(key) || key.split('/').includes('..')) {
        throw TugboatError.invalid({ kind: 'Container' }, labels[RUNTIME_LABELS.container], [
          fieldError(`${field}.files[${key}]`, 'must be a relative path without ".."'),
        ]);
      }
    }
    const dir = path.join(at.filesRoot, m.volume.replace(/[^a-zA-Z0-9_.-]/g, '_'));
    files.push({ dir, files: m.files, mode: m.mode ?? 0o644, modes: { ...m.modes } });
    options.HostConfig.Mounts.push({ Type: 'bind', Source: dir, Target: m.containerPath, ReadOnly: m.readOnly ?? true });
  }
}
