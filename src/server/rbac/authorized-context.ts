/**
 * An ApiContext that acts as one user: every call is authorized first (as the HTTP server
 * authorizes requests), and a denied one fails Forbidden with Kubernetes' message. What
 * `cluster.as(user)` returns.
 */
import { TugboatError } from '../../model/errors.js';
import type { KubeObject } from '../../model/types.js';
import { clientArgs, type KindRef } from '../../client/kinds.js';
import type { ApiContext, ResourceClient } from '../../client/types.js';
import { forbiddenMessage, type Authorizer, type RequestAttributes } from '../authorizer.js';
import type { UserInfo } from '../types.js';

/** Wraps `inner` so that each call is checked with `authorizer` for `user`. */
export function authorizedContext(inner: ApiContext, authorizer: Authorizer, user: UserInfo): ApiContext {
  function client<T extends KubeObject>(ref: KindRef<T>, namespace?: string): ResourceClient<T>;
  function client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  function client<T extends KubeObject>(a: KindRef<T> | string, b?: string, c?: string): ResourceClient<T> {
    const { apiVersion, kind, namespace } = clientArgs(a, b, c);
    const target = inner.client<T>(apiVersion, kind, namespace);
    const type = target.type;
    const ns = target.namespace || undefined;
    const check = async (verb: string, name?: string, subresource?: string): Promise<void> => {
      const attrs: RequestAttributes = {
        user,
        verb,
        resourceRequest: true,
        apiGroup: type.group,
        resource: type.plural,
        ...(subresource ? { subresource } : {}),
        ...(ns ? { namespace: ns } : {}),
        ...(name ? { name } : {}),
      };
      const decision = await authorizer.authorize(attrs);
      if (!decision.allowed)
        throw TugboatError.forbidden(forbiddenMessage(attrs), { kind: type.plural, group: type.group, ...(name ? { name } : {}) });
    };
    const guarded: ResourceClient<T> = {
      type,
      namespace: target.namespace,
      get: async (name) => (await check('get', name), target.get(name)),
      find: async (name) => (await check('get', name), target.find(name)),
      list: async (o) => (await check('list'), target.list(o)),
      watch: (o) => ({
        async *[Symbol.asyncIterator]() {
          await check('watch');
          yield* target.watch(o);
        },
      }),
      create: async (obj, o) => (await check('create'), target.create(obj, o)),
      update: async (obj, o) => (await check('update', obj.metadata?.name), target.update(obj, o)),
      patch: async (name, p, t, o) => (await check('patch', name), target.patch(name, p, t, o)),
      updateStatus: async (obj, o) => (await check('update', obj.metadata?.name, 'status'), target.updateStatus(obj, o)),
      patchStatus: async (name, p, t) => (await check('patch', name, 'status'), target.patchStatus(name, p, t)),
      delete: async (name, o) => (await check('delete', name), target.delete(name, o)),
      getScale: async (name) => (await check('get', name, 'scale'), target.getScale(name)),
      updateScale: async (name, scale, o) => (await check('update', name, 'scale'), target.updateScale(name, scale, o)),
    };
    return guarded;
  }
  return {
    client,
    discover: () => inner.discover(),
    clock: inner.clock,
    events: inner.events,
    bindPod: async (binding) => {
      const attrs: RequestAttributes = {
        user,
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        subresource: 'binding',
        namespace: binding.namespace,
        name: binding.name,
      };
      if (!(await authorizer.authorize(attrs)).allowed)
        throw TugboatError.forbidden(forbiddenMessage(attrs), { kind: 'pods', name: binding.name });
      return inner.bindPod(binding);
    },
    evictPod: async (eviction) => {
      const attrs: RequestAttributes = {
        user,
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        subresource: 'eviction',
        namespace: eviction.namespace,
        name: eviction.name,
      };
      if (!(await authorizer.authorize(attrs)).allowed)
        throw TugboatError.forbidden(forbiddenMessage(attrs), { kind: 'pods', name: eviction.name });
      return inner.evictPod(eviction);
    },
    createToken: async (request) => {
      const attrs: RequestAttributes = {
        user,
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'serviceaccounts',
        subresource: 'token',
        namespace: request.namespace,
        name: request.serviceAccount,
      };
      if (!(await authorizer.authorize(attrs)).allowed)
        throw TugboatError.forbidden(forbiddenMessage(attrs), { kind: 'serviceaccounts', name: request.serviceAccount });
      return inner.createToken(request);
    },
  };
}
