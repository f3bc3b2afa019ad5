import type { PriorityClass } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { AdmissionPlugin } from './admission.js';
import type { ResourceClient } from '../client/types.js';

/** The PriorityClasses every cluster has, as in Kubernetes. */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

interface PodSpecPriority {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

/**
 * Kubernetes' Priority admission plugin (reads `cached` classes when given, as the plugin reads its lister): on pod creation, resolves `spec.priorityClassName`
 * (or the globalDefault class) into `spec.priority` and `spec.preemptionPolicy`, so every
 * component sees a pod's priority on the pod itself. An unknown class is Forbidden.
 */
export function priorityAdmission(
  classes: () => ResourceClient<PriorityClass>,
  cached?: () => readonly PriorityClass[] | undefined,
): AdmissionPlugin {
  /** The classes from the watch-fed cache (the PriorityClass lister) when it is synced, else from the API. */
  const all = async (): Promise<readonly PriorityClass[]> => cached?.() ?? (await classes().list()).items;
  return {
    name: 'Priority',
    async mutate(request) {
      if (request.operation !== 'CREATE' || request.type.group !== '' || request.type.kind !== 'Pod') return;
      const spec = (request.object.spec ?? {}) as PodSpecPriority;
      const name = request.object.metadata.name ?? request.object.metadata.generateName ?? '';
      let cls: PriorityClass | undefined;
      if (spec.priorityClassName) {
        const className = spec.priorityClassName;
        cls = cached ? (await all()).find((c) => c.metadata.name === className) : await classes().find(className);
        if (!cls) {
          throw TugboatError.forbidden(`pods "${name}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`, {
            kind: 'pods',
            name,
          });
        }
      } else {
        cls = (await all()).find((c) => c.globalDefault);
        if (cls) spec.priorityClassName = cls.metadata.name;
      }
      const value = cls?.value ?? 0;
      if (spec.priority !== undefined && spec.priority !== value) {
        throw TugboatError.forbidden(
          `pods "${name}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
          { kind: 'pods', name },
        );
      }
      spec.priority = value;
      spec.preemptionPolicy ??= cls?.preemptionPolicy ?? 'PreemptLowerPriority';
      request.object.spec = spec;
    },
  };
}
