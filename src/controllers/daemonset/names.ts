/**
 * Names of the DaemonSet controller: the kinds it reads and writes, its component name, the
 * controller reference it puts on its pods and revisions, and the template generation it stamps.
 */
import type { DaemonSet, OwnerReference } from '../../model/types.js';
import { DAEMONSET_TEMPLATE_GENERATION_ANNOTATION } from '../../model/well-known.js';
import { controllerRef } from '../util/controller-ref.js';

/** The DaemonSet kind. */
export const DAEMONSET = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
/** The ControllerRevision kind (a DaemonSet's history). */
export const CONTROLLER_REVISION = { apiVersion: 'apps/v1', kind: 'ControllerRevision' } as const;
/** The Pod kind. */
export const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
/** The Node kind. */
export const NODE = { apiVersion: 'v1', kind: 'Node' } as const;
/** The component name on Events, as kube-controller-manager names it. */
export const DAEMONSET_COMPONENT = 'daemonset-controller';

/** The controller reference a DaemonSet puts on what it creates or adopts. */
export function daemonSetOwnerRef(ds: DaemonSet): OwnerReference {
  return controllerRef({ ...DAEMONSET, metadata: ds.metadata });
}

/** The DaemonSet's template generation (its annotation), or undefined when absent or unparsable. */
export function templateGenerationOf(ds: DaemonSet): string | undefined {
  const v = ds.metadata.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? v : undefined;
}

/** The namespace/name key of a DaemonSet (expectations, back-off). */
export { ownerKey as dsKey } from '../util/owned-pods.js';
