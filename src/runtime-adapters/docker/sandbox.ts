import { rm } from 'node:fs/promises';
import type Docker from 'dockerode';
import { sandboxLabelsFor } from '../pod-labels.js';
import { RUNTIME_LABELS, type SandboxConfig, type SandboxDNS, type SandboxStatus } from '../types.js';
import { dockerMessage, ignoreStatus, isNotFound, toTugboatError } from './errors.js';
import { ensureSandboxImage, forgetSandboxImage } from './images.js';
import { clusterPodNetwork, ensureClusterNetwork, forgetClusterNetwork } from './network.js';
import { type DockerScope, networkOf } from './scope.js';

/**
 * Docker's DNS settings of a sandbox (pure): the pod's resolv.conf, with the cluster's DNS server
 * (`clusterDNS`, the network's gateway) first. Docker writes them into the container's
 * resolv.conf (behind its embedded resolver, which forwards to these servers).
 */
export function sandboxDnsHostConfig(dns: SandboxDNS, clusterDNS: string | undefined): Docker.HostConfig {
  const servers = [...(dns.clusterDNS && clusterDNS ? [clusterDNS] : []), ...dns.nameservers];
  return {
    ...(servers.length > 0 ? { Dns: servers } : {}),
    ...(dns.searches.length > 0 ? { DnsSearch: dns.searches } : {}),
    ...(dns.options.length > 0 ? { DnsOptions: dns.options } : {}),
  };
}

/**
 * Docker's create body of a sandbox (pure): the pause image on the cluster network (or the
 * host's), the pod's hostPorts published, IPC shareable so the pod's containers can join it.
 */
export function sandboxCreateOptions(
  config: SandboxConfig,
  image: string,
  networkName: string,
  labels: Record<string, string>,
  nameSuffix: string,
  clusterDNS?: string,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp?: string; HostPort: string }>> = {};
  for (const p of config.ports) {
    const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
    exposed[key] = {};
    if (p.hostPort && !config.hostNetwork) {
      (bindings[key] ??= []).push({ HostPort: String(p.hostPort), ...(p.hostIP ? { HostIp: p.hostIP } : {}) });
    }
  }
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9.-]/g, '-');
  return {
    name: `tb_${safe(config.namespace)}_${safe(config.podName)}_POD_${nameSuffix}`,
    Image: image,
    Hostname: config.hostNetwork ? undefined : config.hostname.slice(0, 63),
    Labels: labels,
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: config.hostNetwork ? 'host' : networkName,
      IpcMode: 'shareable',
      PortBindings: bindings,
      RestartPolicy: { Name: 'no' },
      ...(config.dns && !config.hostNetwork ? sandboxDnsHostConfig(config.dns, clusterDNS) : {}),
    },
  };
}

/** Maps a sandbox's inspect result to a SandboxStatus (pure). */
export function toSandboxStatus(info: Docker.ContainerInspectInfo, networkName: string, hostAddress: string): SandboxStatus {
  const hostNet = info.HostConfig?.NetworkMode === 'host';
  const ip = hostNet ? hostAddress : (info.NetworkSettings?.Networks?.[networkName]?.IPAddress ?? '');
  return {
    id: info.Id,
    ip,
    state: info.State?.Running ? 'ready' : 'notready',
    labels: { ...(info.Config?.Labels ?? {}) },
    createdAt: new Date(info.Created),
    ...(startedAt(info) ? { startedAt: startedAt(info) } : {}),
  };
}

function startedAt(info: Docker.ContainerInspectInfo): Date | undefined {
  const t = info.State?.StartedAt;
  if (!t || t.startsWith('0001-01-01')) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A short random suffix for Docker names. */
export function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}

/** Creates and starts a pod's sandbox; on a failed start, removes what it made. */
export async function runSandbox(scope: DockerScope, config: SandboxConfig): Promise<SandboxStatus> {
  const labels = sandboxLabelsFor(config, scope.clusterName, scope.nodeName, scope.instance.labels);
  const network = networkOf(labels, scope);
  if (labels[RUNTIME_LABELS.instance] === scope.instance.id) await scope.instance.acquire();
  // The image and the network at once; after the first sandbox both are known and cost no call.
  const [image] = await Promise.all([ensureSandboxImage(scope), config.hostNetwork ? undefined : ensureClusterNetwork(scope, labels)]);
  // The cluster's DNS server listens on the gateway of its own network (cluster/pod-network-services.ts).
  const ownNetwork = labels[RUNTIME_LABELS.instance] === scope.instance.id;
  const clusterDNS = config.dns?.clusterDNS && !config.hostNetwork && ownNetwork ? (await clusterPodNetwork(scope)).gateway : undefined;
  const body = sandboxCreateOptions(config, image.ref, network, labels, randomSuffix(), clusterDNS);
  let container: Docker.Container;
  try {
    container = await scope.docker.createContainer(body).catch(async (err: unknown) => {
      // The sandbox image was removed behind tugboat's back since it was last seen: make sure of it again, once.
      if (!isNotFound(err) || !/image/i.test(dockerMessage(err))) throw err;
      forgetSandboxImage(scope);
      await ensureSandboxImage(scope);
      return scope.docker.createContainer(body);
    });
  } catch (err) {
    throw toTugboatError(err, 'create', { kind: 'Sandbox', name: `${config.namespace}/${config.podName}` });
  }
  try {
    await container.start().catch(async (err: unknown) => {
      // A close() elsewhere, or someone else, may have removed the network: make it again, once.
      if (config.hostNetwork || !isNotFound(err) || !/network/i.test(dockerMessage(err))) throw err;
      forgetClusterNetwork(scope, labels);
      await ensureClusterNetwork(scope, labels);
      await container.start();
    });
    const status = toSandboxStatus(await container.inspect(), network, scope.hostAddress);
    scope.sandboxLabels.set(status.id, status.labels);
    return status;
  } catch (err) {
    await ignoreStatus(container.remove({ force: true }), 409);
    throw toTugboatError(err, 'start', { kind: 'Sandbox', name: `${config.namespace}/${config.podName}` });
  }
}

/** Inspects a sandbox. Throws NotFound when it does not exist. */
export async function inspectSandbox(scope: DockerScope, id: string): Promise<SandboxStatus> {
  try {
    const info = await scope.docker.getContainer(id).inspect();
    return toSandboxStatus(info, networkOf(info.Config?.Labels ?? {}, scope), scope.hostAddress);
  } catch (err) {
    throw toTugboatError(err, 'inspect', { kind: 'Sandbox', name: id });
  }
}

/** Stops a sandbox (a prompt SIGTERM; the pause process exits at once). Idempotent. */
export async function stopSandbox(scope: DockerScope, id: string): Promise<void> {
  try {
    await ignoreStatus(scope.docker.getContainer(id).stop({ t: 2 }), 304);
  } catch (err) {
    throw toTugboatError(err, 'stop', { kind: 'Sandbox', name: id });
  }
}

/**
 * Removes a sandbox, any container of its pod still there, its emptyDir volumes and its
 * ConfigMap/Secret files. Idempotent.
 */
export async function removeSandbox(scope: DockerScope, id: string): Promise<void> {
  const docker = scope.docker;
  let labels: Record<string, string> | undefined;
  try {
    labels = (await docker.getContainer(id).inspect()).Config?.Labels ?? {};
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw toTugboatError(err, 'inspect', { kind: 'Sandbox', name: id });
  }
  scope.sandboxLabels.delete(id);
  if (!labels) return;
  const cluster = labels[RUNTIME_LABELS.cluster] ?? scope.clusterName;
  const podUid = labels[RUNTIME_LABELS.podUid];
  try {
    if (podUid) {
      const podFilter = { label: [`${RUNTIME_LABELS.cluster}=${cluster}`, `${RUNTIME_LABELS.podUid}=${podUid}`] };
      const members = await docker.listContainers({
        all: true,
        filters: { ...podFilter, label: [...podFilter.label, `${RUNTIME_LABELS.role}=container`] },
      });
      await Promise.all(members.map((c) => ignoreStatus(docker.getContainer(c.Id).remove({ force: true, v: true }), 409)));
      await ignoreStatus(docker.getContainer(id).remove({ force: true, v: true }), 409);
      const { Volumes } = await docker.listVolumes({ filters: podFilter });
      await Promise.all((Volumes ?? []).map((v) => ignoreStatus(docker.getVolume(v.Name).remove(), 409)));
      await rm(scope.podFilesDir(labels, podUid), { recursive: true, force: true });
    } else {
      await ignoreStatus(docker.getContainer(id).remove({ force: true, v: true }), 409);
    }
  } catch (err) {
    throw toTugboatError(err, 'remove', { kind: 'Sandbox', name: id });
  }
}

/** Sandboxes (any state) whose labels include every given label. */
export async function listSandboxes(scope: DockerScope, labels: Record<string, string> = {}): Promise<SandboxStatus[]> {
  return scope.inspectAll('sandbox', labels, (id) => inspectSandbox(scope, id));
}
