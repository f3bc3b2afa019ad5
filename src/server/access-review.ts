/**
 * The review resources: SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview,
 * SelfSubjectRulesReview (answered as incomplete) and SelfSubjectReview (`kubectl auth whoami`).
 */
import { TugboatError } from '../model/errors.js';
import type { Authorizer, RequestAttributes } from './authorizer.js';
import type { UserInfo } from './types.js';

/** Answers a review of `kind` created by `user`. */
export async function review(kind: string, body: any, user: UserInfo, authorizer: Authorizer): Promise<object> {
  const spec = body?.spec ?? {};
  switch (kind) {
    case 'SelfSubjectReview':
      return {
        apiVersion: 'authentication.k8s.io/v1',
        kind,
        metadata: {},
        status: {
          userInfo: {
            username: user.name,
            ...(user.uid ? { uid: user.uid } : {}),
            groups: user.groups,
            ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
          },
        },
      };
    case 'SelfSubjectRulesReview':
      return {
        apiVersion: 'authorization.k8s.io/v1',
        kind,
        metadata: {},
        spec,
        status: {
          resourceRules: [],
          nonResourceRules: [],
          incomplete: true,
          evaluationError: 'rules review is not implemented by tugboat',
        },
      };
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview': {
      const subject: UserInfo =
        kind === 'SelfSubjectAccessReview'
          ? user
          : { name: String(spec.user ?? ''), groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [] };
      const attrs = attributesOf(spec, subject);
      const decision = await authorizer.authorize(attrs);
      return {
        apiVersion: 'authorization.k8s.io/v1',
        kind,
        metadata: {},
        spec,
        status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
      };
    }
    default:
      throw TugboatError.badRequest(`unknown review kind ${kind}`);
  }
}

function attributesOf(spec: any, user: UserInfo): RequestAttributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: String(ra.verb ?? ''),
      resourceRequest: true,
      apiGroup: String(ra.group ?? ''),
      resource: String(ra.resource ?? ''),
      ...(ra.subresource ? { subresource: String(ra.subresource) } : {}),
      ...(ra.namespace ? { namespace: String(ra.namespace) } : {}),
      ...(ra.name ? { name: String(ra.name) } : {}),
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return { user, verb: String(nra.verb ?? ''), resourceRequest: false, path: String(nra.path ?? '') };
}
