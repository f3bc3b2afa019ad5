/**
 * POST serviceaccounts/NAME/token (TokenRequest, authentication.k8s.io/v1), as kube-apiserver
 * serves it: what `kubectl create token NAME` and kubelets in other processes call.
 */
import { fieldError, TugboatError } from '../model/errors.js';
import type { ApiContext, BoundObjectRef } from '../client/types.js';
import type { RequestScope, ResourceRequest } from './request-scope.js';
import { sendJson } from './http-status.js';
import { parseBody, readBody } from './request-body.js';

const TOKEN_REQUEST = { kind: 'TokenRequest', group: 'authentication.k8s.io' };

/** Serves a ServiceAccount's token subresource (create only). */
export async function handleTokenRequest(
  scope: RequestScope,
  info: ResourceRequest,
  context: ApiContext,
  maxBodyBytes: number,
): Promise<void> {
  if (info.verb !== 'create') throw new TugboatError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const body = (parseBody(await readBody(scope.req, maxBodyBytes), 'application/json') ?? {}) as Record<string, any>;
  const namespace = info.namespace!;
  const name = info.name!;
  const meta = body.metadata ?? {};
  if (meta.name && meta.name !== name)
    throw TugboatError.invalid(TOKEN_REQUEST, name, [
      fieldError('metadata.name', `Invalid value: "${meta.name}": must match the service account name if specified`),
    ]);
  if (meta.namespace && meta.namespace !== namespace)
    throw TugboatError.invalid(TOKEN_REQUEST, name, [
      fieldError('metadata.namespace', `Invalid value: "${meta.namespace}": must match the service account namespace if specified`),
    ]);
  const spec = body.spec ?? {};
  if (spec.audiences != null && !(Array.isArray(spec.audiences) && spec.audiences.every((a: unknown) => typeof a === 'string')))
    throw TugboatError.invalid(TOKEN_REQUEST, name, [fieldError('spec.audiences', 'Invalid value: must be a list of strings')]);
  if (spec.expirationSeconds != null && typeof spec.expirationSeconds !== 'number')
    throw TugboatError.invalid(TOKEN_REQUEST, name, [fieldError('spec.expirationSeconds', 'Invalid value: must be an integer')]);
  const ref = spec.boundObjectRef as Partial<BoundObjectRef> | undefined;
  if (ref != null && (typeof ref !== 'object' || !ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string'))
    throw TugboatError.invalid(TOKEN_REQUEST, name, [
      fieldError('spec.boundObjectRef', 'Invalid value: kind and name are required', 'FieldValueRequired'),
    ]);
  const issued = await context.createToken({
    namespace,
    serviceAccount: name,
    ...(spec.audiences?.length ? { audiences: spec.audiences } : {}),
    ...(spec.expirationSeconds != null ? { expirationSeconds: spec.expirationSeconds } : {}),
    ...(ref ? { boundObjectRef: ref as BoundObjectRef } : {}),
  });
  return sendJson(scope.res, 201, issued);
}
