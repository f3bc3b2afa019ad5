/**
 * What the runtime is asked for: a pod's SandboxConfig and each container's ContainerConfig,
 * built from the pod spec (env, mounts, limits, security, ports) with tugboat's labels.
 */
import { getServers } from 'node:dns';
import type { core, Pod } from '../model/types.js';
import {
  RUNTIME_LABELS,
  type ContainerConfig,
  type PortMapping,
  type SandboxConfig,
  type SandboxDNS,
  type SecuritySettings,
} from '../runtime-adapters/types.js';
import type { ConfigSource } from './config-error.js';
import { expandCommand, resolveEnv } from './env.js';
import { resolveMounts, type VolumeFilesCache } from './volumes.js';
import { runtimeResources } from './resources.js';
import { type HostDNS, podDNS } from './pod-dns.js';

/** Who a pod's runtime objects belong to. */
export interface PodOwner {
  clusterName: string;
  nodeName: string;
  hostIP: string;
  /** More labels for every sandbox and container (the cluster instance's). */
  labels?: Record<string, string>;
  /** The cluster domain of pods' search paths. @default 'cluster.local' */
  clusterDomain?: string;
  /** The host's resolvers, for dnsPolicy Default with a dnsConfig. @default the process's (`dns.getServers()`) */
  hostDNS?: HostDNS;
}

function hostResolvers(): HostDNS {
  return { nameservers: getServers().filter((s) => !s.includes(':')), searches: [], options: [] };
}

/** The RUNTIME_LABELS of a pod's sandbox and containers. */
function podLabels(pod: Pod, owner: PodOwner): Record<string, string> {
  return {
    ...owner.labels,
    [RUNTIME_LABELS.cluster]: owner.clusterName,
    [RUNTIME_LABELS.node]: owner.nodeName,
    [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '',
    [RUNTIME_LABELS.namespace]: pod.metadata.namespace ?? 'default',
    [RUNTIME_LABELS.podName]: pod.metadata.name ?? '',
  };
}

/** The port mappings of a container spec. */
function portMappings(container: core.Container): PortMapping[] {
  return (container.ports ?? []).map((p) => ({
    containerPort: p.containerPort,
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
    ...(p.hostIP ? { hostIP: p.hostIP } : {}),
    protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'],
  }));
}

/** The sandbox of a pod: its labels, hostname and every container's ports. */
export function sandboxConfig(pod: Pod, owner: PodOwner): SandboxConfig {
  const labels = { ...podLabels(pod, owner), [RUNTIME_LABELS.role]: 'sandbox' };
  const hostname = pod.spec?.hostname ?? pod.metadata.name ?? '';
  return {
    podUid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    podName: pod.metadata.name ?? '',
    hostname: pod.spec?.hostNetwork ? owner.nodeName : hostname,
    labels,
    ports: [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].flatMap(portMappings),
    ...(pod.spec?.hostNetwork ? { hostNetwork: true } : {}),
    ...withDNS(podDNS(pod, owner.clusterDomain, owner.hostDNS ?? hostResolvers())),
  };
}

function withDNS(dns: SandboxDNS | undefined): { dns?: SandboxDNS } {
  return dns ? { dns } : {};
}

/** A container's security settings: its securityContext over the pod's. */
function securitySettings(pod: Pod, c: core.Container): SecuritySettings | undefined {
  const ps = pod.spec?.securityContext ?? {};
  const cs = c.securityContext ?? {};
  const out: SecuritySettings = {};
  const user = cs.runAsUser ?? ps.runAsUser;
  const group = cs.runAsGroup ?? ps.runAsGroup;
  if (user !== undefined) out.runAsUser = user;
  if (group !== undefined) out.runAsGroup = group;
  if (cs.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = cs.readOnlyRootFilesystem;
  if (cs.privileged !== undefined) out.privileged = cs.privileged;
  if (cs.capabilities?.add) out.capabilitiesAdd = [...cs.capabilities.add];
  if (cs.capabilities?.drop) out.capabilitiesDrop = [...cs.capabilities.drop];
  return Object.keys(out).length ? out : undefined;
}

/**
 * The full ContainerConfig of a container of a pod, at restart attempt `attempt`; `volumeFiles`
 * keeps its files volumes between calls (volumes.ts).
 */
export async function containerConfig(
  pod: Pod,
  c: core.Container,
  attempt: number,
  owner: PodOwner,
  source: ConfigSource,
  volumeFiles?: VolumeFilesCache,
): Promise<ContainerConfig> {
  const env = await resolveEnv(pod, c, source, owner.hostIP);
  const mounts = await resolveMounts(pod, c, source, owner.hostIP, volumeFiles);
  const security = securitySettings(pod, c);
  return {
    name: c.name,
    image: c.image ?? '',
    ...expandCommand(c, env),
    env,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    mounts,
    ports: portMappings(c),
    resources: runtimeResources(c.resources),
    ...(security ? { security } : {}),
    ...(c.tty ? { tty: true } : {}),
    ...(c.stdin ? { stdin: true } : {}),
    ...(c.stdinOnce ? { stdinOnce: true } : {}),
    labels: {
      ...podLabels(pod, owner),
      [RUNTIME_LABELS.role]: 'container',
      [RUNTIME_LABELS.container]: c.name,
      [RUNTIME_LABELS.attempt]: String(attempt),
    },
  };
}
