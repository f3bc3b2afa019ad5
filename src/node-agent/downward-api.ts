/**
 * The downward API: a pod's own fields (fieldRef) and a container's resources
 * (resourceFieldRef) as strings, for env vars and downwardAPI volumes.
 */
import type { core, Pod } from '../model/types.js';
import { ContainerConfigError } from './config-error.js';
import { quantityValue } from './resources.js';

/** The value of a fieldRef path of a pod, as the kubelet gives it. */
export function podFieldValue(pod: Pod, fieldPath: string, hostIP: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) {
    const map = m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[m[2]] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP':
      return pod.status?.hostIP || hostIP;
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((h) => h.ip).join(',') || hostIP;
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldRef path "${fieldPath}"`);
  }
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}="${map![k]}"`)
    .join('\n');
}

/** The value of a resourceFieldRef (limits.cpu, requests.memory, ...) divided by its divisor, rounded up. */
export function resourceFieldValue(pod: Pod, container: core.Container, ref: core.ResourceFieldSelector): string {
  const target = ref.containerName
    ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName)
    : container;
  const [section, resource] = ref.resource.split('.', 2) as ['limits' | 'requests', string];
  const raw = target?.resources?.[section]?.[resource] as string | undefined;
  const divisor = quantityValue((ref.divisor as string | undefined) ?? '1') || 1;
  if (raw === undefined) return section === 'limits' && resource === 'cpu' ? '1' : '0';
  return String(Math.ceil(quantityValue(raw) / divisor - 1e-9));
}
