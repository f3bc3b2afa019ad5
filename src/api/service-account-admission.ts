/**
 * Kubernetes' ServiceAccount admission plugin, for pod creation: a pod that names no
 * ServiceAccount runs as `default`, and one that names a ServiceAccount its namespace does not
 * have is rejected (Forbidden: `error looking up service account ns/name: serviceaccount "name"
 * not found`). The `default` ServiceAccount is admitted also before the service-account
 * controller has made it (the pods of a manifest that creates their namespace), where Kubernetes
 * would answer a retryable error. Unless the pod or its ServiceAccount says
 * `automountServiceAccountToken: false`, the pod gets the projected `kube-api-access-xxxxx`
 * volume (a bound token, the cluster's CA and the namespace) mounted in every container.
 */
import type { core, KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { API_ACCESS_VOLUME_PREFIX, ROOT_CA_CONFIG_MAP, SERVICE_ACCOUNT_MOUNT_PATH } from '../model/well-known.js';
import { generateNameSuffix } from '../store/object-stamp.js';
import type { AdmissionPlugin } from './admission.js';
import type { ResourceClient } from '../client/types.js';
import { WARN_ONLY_EXPIRATION_SECONDS } from './service-account-tokens/token-service.js';

/** The plugin; `accounts(ns)` is a client of the namespace's ServiceAccounts. */
export function serviceAccountAdmission(accounts: (namespace: string) => ResourceClient<KubeObject>): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    async mutate(request) {
      if (request.operation !== 'CREATE' || request.subresource || request.type.group !== '' || request.type.kind !== 'Pod') return;
      const spec = (request.object.spec ?? {}) as core.PodSpec;
      // The deprecated serviceAccount field is the name when serviceAccountName is empty.
      spec.serviceAccountName ||= spec.serviceAccount || 'default';
      const name = spec.serviceAccountName;
      const namespace = request.object.metadata.namespace ?? 'default';
      const account = await accounts(namespace).find(name);
      if (name !== 'default' && !account) {
        const pod = request.object.metadata.name ?? request.object.metadata.generateName ?? '';
        throw TugboatError.forbidden(
          `pods "${pod}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
          { kind: 'pods', name: pod },
        );
      }
      const automount = spec.automountServiceAccountToken ?? (account?.automountServiceAccountToken as boolean | undefined) ?? true;
      if (automount) mountApiAccess(spec);
      request.object.spec = spec;
    },
  };
}

/**
 * Adds the API access volume and its mount at {@link SERVICE_ACCOUNT_MOUNT_PATH} to every init and
 * app container that mounts nothing there, as the plugin's mountServiceAccountToken: an existing
 * `kube-api-access-` volume is reused.
 */
export function mountApiAccess(spec: core.PodSpec): void {
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(API_ACCESS_VOLUME_PREFIX));
  const volumeName = existing?.name ?? API_ACCESS_VOLUME_PREFIX + generateNameSuffix();
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
    needed = true;
  }
  if (needed && !existing) spec.volumes = [...(spec.volumes ?? []), { name: volumeName, projected: apiAccessVolumeSource() }];
}

/** The projected source of the API access volume (Kubernetes' TokenVolumeSource). */
export function apiAccessVolumeSource(): core.ProjectedVolumeSource {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}
