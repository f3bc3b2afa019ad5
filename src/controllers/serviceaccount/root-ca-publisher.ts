/**
 * The root-ca-cert-publisher, as kube-controller-manager's: every active namespace has the
 * ConfigMap {@link ROOT_CA_CONFIG_MAP} whose `ca.crt` is the CA bundle that verifies the API
 * server (the projected API access volume of every pod mounts it). The bundle is read from the
 * kube-system ConfigMap {@link SERVING_CA_CONFIG_MAP}, which `cluster.serve()` writes (there is
 * no --root-ca-file here); until the cluster serves HTTPS it is empty.
 */
import type { Controller } from '../runtime/types.js';
import { TugboatError } from '../../model/errors.js';
import type { ConfigMap, KubeObject } from '../../model/types.js';
import { DESCRIPTION_ANNOTATION, ROOT_CA_CONFIG_MAP, SERVING_CA_CONFIG_MAP } from '../../model/well-known.js';

const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The controller keeping {@link ROOT_CA_CONFIG_MAP} in every namespace that is not terminating. */
export function rootCaPublisher(): Controller {
  return {
    name: 'root-ca-cert-publisher',
    for: { apiVersion: 'v1', kind: 'Namespace' },
    watches: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        map: async (cm, cache) => {
          const { name, namespace } = cm.metadata;
          if (name === ROOT_CA_CONFIG_MAP && namespace) return [{ name: namespace }];
          if (name === SERVING_CA_CONFIG_MAP && namespace === 'kube-system')
            return (await cache.list<KubeObject>('v1', 'Namespace')).map((ns) => ({ name: ns.metadata.name ?? '' }));
          return [];
        },
      },
    ],
    async reconcile(request, ctx) {
      const ns = await ctx.cache.get<KubeObject>('v1', 'Namespace', undefined, request.name);
      if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
      const source = await ctx.cache.get<ConfigMap>('v1', 'ConfigMap', 'kube-system', SERVING_CA_CONFIG_MAP);
      const ca = source?.data?.['ca.crt'] ?? '';
      const current = await ctx.cache.get<ConfigMap>('v1', 'ConfigMap', request.name, ROOT_CA_CONFIG_MAP);
      const maps = ctx.client<ConfigMap>('v1', 'ConfigMap', request.name);
      try {
        if (!current) {
          await maps.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: ROOT_CA_CONFIG_MAP, namespace: request.name, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
            data: { 'ca.crt': ca },
          });
          return;
        }
        const data = current.data ?? {};
        if (
          data['ca.crt'] === ca &&
          Object.keys(data).length === 1 &&
          current.metadata.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION
        )
          return;
        await maps.update({
          ...current,
          metadata: {
            ...current.metadata,
            annotations: { ...(current.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION },
          },
          data: { 'ca.crt': ca },
        });
      } catch (err) {
        // Made meanwhile (the watch brings it back here), or the namespace began terminating.
        if (TugboatError.is(err, 'AlreadyExists') || TugboatError.is(err, 'Forbidden') || TugboatError.is(err, 'NotFound')) return;
        throw err;
      }
    },
  };
}
