import type { ResourceType } from '../../model/resource-type.js';

/**
 * The REST path of a kind's collection, or of one object and its subresource, as the
 * Kubernetes API lays them out: `/api/v1/namespaces/NS/pods/NAME/status`,
 * `/apis/apps/v1/deployments` (all namespaces).
 */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  const root = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name !== undefined ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
  return `${root}${ns}/${type.plural}${obj}`;
}
