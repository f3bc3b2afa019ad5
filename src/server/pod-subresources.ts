/**
 * POST pods/NAME/binding and pods/NAME/eviction, as kube-apiserver serves them: what a
 * scheduler and a drain in another process call through the HTTP ApiContext.
 */
import { TugboatError } from '../model/errors.js';
import type { ApiContext, DeleteOptions } from '../client/types.js';
import type { RequestScope, ResourceRequest } from './request-scope.js';
import { sendJson } from './http-status.js';
import { parseBody, readBody } from './request-body.js';

const SUCCESS = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 };

/** Serves a pod's binding or eviction subresource (create only). */
export async function handlePodSubresource(
  scope: RequestScope,
  info: ResourceRequest,
  context: ApiContext,
  maxBodyBytes: number,
): Promise<void> {
  if (info.verb !== 'create') throw new TugboatError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  const body = (parseBody(await readBody(scope.req, maxBodyBytes), 'application/json') ?? {}) as Record<string, any>;
  const namespace = info.namespace!;
  const name = info.name!;
  if (body.metadata?.name !== undefined && body.metadata.name !== name) {
    throw TugboatError.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (info.subresource === 'binding') {
    const nodeName = body.target?.name;
    if (typeof nodeName !== 'string' || nodeName === '') {
      throw TugboatError.invalid({ kind: 'bindings' }, name, [
        { field: 'target.name', message: 'Required value', reason: 'FieldValueRequired' },
      ]);
    }
    await context.bindPod({ namespace, name, nodeName, ...(body.metadata?.uid ? { uid: body.metadata.uid } : {}) });
    return sendJson(scope.res, 201, SUCCESS);
  }
  await context.evictPod({
    namespace,
    name,
    ...(body.deleteOptions ? { deleteOptions: body.deleteOptions as DeleteOptions } : {}),
    dryRun: scope.query.getAll('dryRun').includes('All'),
  });
  return sendJson(scope.res, 201, SUCCESS);
}
