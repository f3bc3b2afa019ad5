/**
 * Kubernetes' ServiceAccount admission plugin, for pod creation: a pod that names no
 * ServiceAccount runs as `default`, and one that names a ServiceAccount its namespace does not
 * have is rejected (Forbidden: `error looking up service account ns/name: serviceaccount "name"
 * not found`). The `default` ServiceAccount is admitted also before the service-account
 * controller has made it (the pods of a manifest that creates their namespace), where Kubernetes
 * would answer a retryable error. Tokens are not mounted.
 */
import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { AdmissionPlugin } from './admission.js';
import type { ResourceClient } from '../client/types.js';

/** The plugin; `accounts(ns)` is a client of the namespace's ServiceAccounts. */
export function serviceAccountAdmission(accounts: (namespace: string) => ResourceClient<KubeObject>): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    async mutate(request) {
      if (request.operation !== 'CREATE' || request.subresource || request.type.group !== '' || request.type.kind !== 'Pod') return;
      const spec = (request.object.spec ?? {}) as { serviceAccountName?: string; serviceAccount?: string };
      // The deprecated serviceAccount field is the name when serviceAccountName is empty.
      spec.serviceAccountName ||= spec.serviceAccount || 'default';
      const name = spec.serviceAccountName;
      const namespace = request.object.metadata.namespace ?? 'default';
      if (name !== 'default' && !(await accounts(namespace).find(name))) {
        const pod = request.object.metadata.name ?? request.object.metadata.generateName ?? '';
        throw TugboatError.forbidden(
          `pods "${pod}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
          { kind: 'pods', name: pod },
        );
      }
      request.object.spec = spec;
    },
  };
}
