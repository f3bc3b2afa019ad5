/**
 * Making a pod from a workload's pod template (Kubernetes' controller.GetPodFromTemplate), as
 * every workload controller does: ReplicaSet and Job (generateName), StatefulSet (a fixed name).
 */
import type { KubeObject, OwnerReference, Pod, core } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { isDns1123Subdomain } from '../../model/names.js';
import { controllerRef } from './controller-ref.js';

/** Options of {@link podFromTemplate}. */
export interface PodFromTemplateOptions {
  /** A fixed pod name (StatefulSet's `web-0`); then no generateName is set. */
  name?: string;
  /** The generateName prefix. @default the owner's name and '-' (the name alone when that is not a valid prefix) */
  generateName?: string;
  /** The ownerReference to set. @default {@link controllerRef}(owner); `null` sets none */
  ownerRef?: OwnerReference | null;
}

/** The generateName Kubernetes gives pods of `ownerName`: `name-`, or `name` when that is not a valid prefix. */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return isDns1123Subdomain(`${prefix}a`) ? prefix : ownerName;
}

/**
 * The pod `owner` creates from `template`: the template's labels, annotations, finalizers and
 * spec (copied, never shared with the template), in the owner's namespace, named by `name` or
 * `generateName`, controlled by `owner`. Create it with the pod client; nothing is written here.
 */
export function podFromTemplate(
  template: core.PodTemplateSpec | undefined,
  owner: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
  options: PodFromTemplateOptions = {},
): Pod {
  const t = cloneJson(template ?? {}) as core.PodTemplateSpec;
  const ownerRef = options.ownerRef === undefined ? controllerRef(owner) : options.ownerRef;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(options.name !== undefined
        ? { name: options.name }
        : { generateName: options.generateName ?? podNamePrefix(owner.metadata.name ?? '') }),
      ...(owner.metadata.namespace !== undefined ? { namespace: owner.metadata.namespace } : {}),
      ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      ...(ownerRef ? { ownerReferences: [ownerRef] } : {}),
    },
    spec: t.spec as Pod['spec'],
  };
}
