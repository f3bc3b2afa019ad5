import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from './types.js';

/** One request as the handlers see it: the raw request and response, the caller, the query. */
export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  user: UserInfo;
  query: URLSearchParams;
}

/**
 * What a resource request names, as kube-apiserver's RequestInfo: the verb (from the method and
 * the path) and group, version, resource, subresource, namespace and name.
 */
export interface ResourceRequest {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Kubernetes' verb for a resource request's method. */
export function verbOf(method: string, hasName: boolean, query: URLSearchParams): string {
  const watch = query.get('watch');
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch === 'true' || watch === '1') return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
