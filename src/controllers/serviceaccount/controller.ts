/**
 * The service-account controller, as kube-controller-manager's: every active namespace has a
 * ServiceAccount named `default`, made when the namespace appears and again when it is deleted.
 */
import type { Controller } from '../runtime/types.js';
import { TugboatError } from '../../model/errors.js';
import type { KubeObject } from '../../model/types.js';

/** The ServiceAccount every namespace gets. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The controller that keeps a `default` ServiceAccount in every namespace that is not terminating. */
export function serviceAccountController(): Controller {
  return {
    name: 'serviceaccount',
    for: { apiVersion: 'v1', kind: 'Namespace' },
    watches: [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        map: (sa) => (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT && sa.metadata.namespace ? [{ name: sa.metadata.namespace }] : []),
      },
    ],
    async reconcile(request, ctx) {
      const ns = await ctx.cache.get<KubeObject>('v1', 'Namespace', undefined, request.name);
      if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
      const accounts = ctx.client<KubeObject>('v1', 'ServiceAccount', request.name);
      if (await ctx.cache.get('v1', 'ServiceAccount', request.name, DEFAULT_SERVICE_ACCOUNT)) return;
      try {
        await accounts.create({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: request.name },
        });
      } catch (err) {
        // Made meanwhile, or the namespace began terminating: nothing to do.
        if (TugboatError.is(err, 'AlreadyExists') || TugboatError.is(err, 'Forbidden') || TugboatError.is(err, 'NotFound')) return;
        throw err;
      }
    },
  };
}
