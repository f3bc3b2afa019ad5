/**
 * The kinds tugboat serves (stores, validates, lists, watches) but nothing acts on yet, each with
 * what Kubernetes would do that tugboat does not: apply warns about every object of these kinds,
 * never silence. This is the one list: whoever lands the controller, adapter or admission plugin
 * that acts on a kind removes its entry here.
 */
import type { KubeObject } from '../model/types.js';

/** `group/Kind` (core group: `/Kind`) -> what is not done for it. */
export const STORED_ONLY_KINDS: Readonly<Record<string, string>> = {
  '/Service': 'no service proxy routes its traffic (its endpoints are kept)',
  'networking.k8s.io/Ingress': 'no ingress adapter routes it',
  'networking.k8s.io/NetworkPolicy': 'it is not enforced: pod traffic is not filtered unless a network adapter enforces it',
  'apiregistration.k8s.io/APIService': 'no aggregated API server is proxied',
};

/** The warning for an applied object of a stored-only kind, or undefined. */
export function storedOnlyWarning(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string | undefined {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.slice(0, obj.apiVersion.indexOf('/')) : '';
  const why = STORED_ONLY_KINDS[`${group}/${obj.kind}`];
  if (!why) return undefined;
  return `${obj.kind} ${obj.metadata.name ?? obj.metadata.generateName ?? ''}: stored, but tugboat does not act on this kind yet: ${why}`;
}
