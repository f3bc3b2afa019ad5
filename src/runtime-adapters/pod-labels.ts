/**
 * The labels a runtime adapter puts on a pod's sandbox and containers: the caller's, completed
 * with the RUNTIME_LABELS ones (cluster, node, pod, role, the instance and its owner). Pure;
 * shared by the Docker and containerd adapters.
 */
import { RUNTIME_LABELS, type ContainerConfig, type SandboxConfig } from './types.js';

/** The labels of a sandbox (the runtime's instance labels when the caller gave no instance). */
export function sandboxLabelsFor(
  config: SandboxConfig,
  clusterName: string,
  nodeName: string,
  instanceLabels: Record<string, string> = {},
): Record<string, string> {
  return {
    [RUNTIME_LABELS.node]: nodeName,
    ...(config.labels[RUNTIME_LABELS.instance] ? {} : instanceLabels),
    ...config.labels,
    [RUNTIME_LABELS.cluster]: config.labels[RUNTIME_LABELS.cluster] ?? clusterName,
    [RUNTIME_LABELS.podUid]: config.podUid,
    [RUNTIME_LABELS.namespace]: config.namespace,
    [RUNTIME_LABELS.podName]: config.podName,
    [RUNTIME_LABELS.role]: 'sandbox',
  };
}

/** The labels of a pod's container, from its config and its sandbox's labels. */
export function containerLabelsFor(
  config: ContainerConfig,
  sandbox: Record<string, string>,
  clusterName: string,
  nodeName: string,
): Record<string, string> {
  return {
    [RUNTIME_LABELS.node]: sandbox[RUNTIME_LABELS.node] ?? nodeName,
    [RUNTIME_LABELS.podUid]: sandbox[RUNTIME_LABELS.podUid] ?? '',
    [RUNTIME_LABELS.namespace]: sandbox[RUNTIME_LABELS.namespace] ?? '',
    [RUNTIME_LABELS.podName]: sandbox[RUNTIME_LABELS.podName] ?? '',
    [RUNTIME_LABELS.attempt]: '0',
    ...(sandbox[RUNTIME_LABELS.instance] ? { [RUNTIME_LABELS.instance]: sandbox[RUNTIME_LABELS.instance] } : {}),
    ...(sandbox[RUNTIME_LABELS.owner] ? { [RUNTIME_LABELS.owner]: sandbox[RUNTIME_LABELS.owner] } : {}),
    ...config.labels,
    [RUNTIME_LABELS.cluster]: sandbox[RUNTIME_LABELS.cluster] ?? clusterName,
    [RUNTIME_LABELS.container]: config.name,
    [RUNTIME_LABELS.role]: 'container',
  };
}
