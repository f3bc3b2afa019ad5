import type { UserInfo } from './types.js';

/** What a request does, as Kubernetes' authorizer.Attributes. */
export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  /** True for resource requests; false for paths such as /version or /healthz. */
  resourceRequest: boolean;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The URL path, for non-resource requests. */
  path?: string;
}

/** The authorizer's answer; `reason` says which rule allowed it (or why not). */
export interface Decision {
  allowed: boolean;
  reason?: string;
}

/** Decides whether a request is allowed. */
export interface Authorizer {
  authorize(attributes: RequestAttributes): Promise<Decision>;
}

/** Allows everything (a server without RBAC). */
export const allowAll: Authorizer = { authorize: async () => ({ allowed: true }) };

/**
 * Kubernetes' message for a denied request: `pods "x" is forbidden: User "viewer" cannot delete
 * resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenMessage(a: RequestAttributes, reason?: string): string {
  if (!a.resourceRequest) return `forbidden: User "${a.user.name}" cannot ${a.verb} path "${a.path}"${reason ? `: ${reason}` : ''}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const group = a.apiGroup ?? '';
  // The subject names the resource alone (kube-apiserver's GroupResource), the rest its subresource too.
  const kind = `${a.resource}${group ? `.${group}` : ''}`;
  const subject = a.name ? `${kind} "${a.name}"` : kind;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return `${subject} is forbidden: User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${group}"${where}${reason ? `: ${reason}` : ''}`;
}
