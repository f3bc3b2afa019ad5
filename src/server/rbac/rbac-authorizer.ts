/**
 * RBAC with Kubernetes' semantics (plugin/pkg/auth/authorizer/rbac): a request is allowed when a
 * rule of a role bound to the user (by name, by one of its groups, or as a ServiceAccount) matches
 * its verb, API group, resource (and subresource) and name, or its non-resource path; nothing else
 * is allowed. ClusterRoleBindings grant everywhere; RoleBindings grant in their namespace only.
 * An aggregated ClusterRole's rules are the union of the ClusterRoles its selectors match.
 */
import type { PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import type { ApiContext } from '../../client/types.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../model/kinds/rbac.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import type { Authorizer, Decision, RequestAttributes } from '../authorizer.js';
import type { UserInfo } from '../types.js';
import { DEFAULT_CLUSTER_ROLE_BINDINGS, DEFAULT_CLUSTER_ROLES } from './default-roles.js';
import { TugboatError } from '../../model/errors.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

/** Whether `subject` names the user. */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace?: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.name === `system:serviceaccount:${subject.namespace || bindingNamespace || ''}:${subject.name}`;
    default:
      return false;
  }
}

const has = (list: readonly string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

/** Whether one rule allows the request. */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) {
    const path = a.path ?? '';
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.apiGroup ?? '')) return false;
  const resources = rule.resources ?? [];
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  const resourceOk = resources.some((r) => r === '*' || r === combined || (a.subresource !== undefined && r === `*/${a.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

/** The RBAC authorizer over the cluster's Role, ClusterRole and binding objects. */
export class RbacAuthorizer implements Authorizer {
  constructor(private readonly context: ApiContext) {}

  async authorize(a: RequestAttributes): Promise<Decision> {
    const clusterRoles = (await this.context.client<ClusterRole>(RBAC, 'ClusterRole').list()).items;
    const rulesOfClusterRole = (name: string): PolicyRule[] => {
      const role = clusterRoles.find((r) => r.metadata.name === name);
      if (!role) return [];
      const selectors = role.aggregationRule?.clusterRoleSelectors;
      if (!selectors?.length) return role.rules ?? [];
      return clusterRoles
        .filter((r) => r !== role && selectors.some((s) => labelSelectorAsSelector(s).matches(r.metadata.labels)))
        .flatMap((r) => r.rules ?? []);
    };
    for (const b of (await this.context.client<ClusterRoleBinding>(RBAC, 'ClusterRoleBinding').list()).items) {
      if (!(b.subjects ?? []).some((s) => subjectMatches(s, a.user))) continue;
      if (rulesOfClusterRole(b.roleRef.name).some((r) => ruleAllows(r, a))) {
        return {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef.name}" to User "${a.user.name}"`,
        };
      }
    }
    if (a.namespace && a.resourceRequest) {
      for (const b of (await this.context.client<RoleBinding>(RBAC, 'RoleBinding', a.namespace).list()).items) {
        if (!(b.subjects ?? []).some((s) => subjectMatches(s, a.user, a.namespace))) continue;
        let rules: PolicyRule[];
        if (b.roleRef.kind === 'ClusterRole') rules = rulesOfClusterRole(b.roleRef.name);
        else rules = (await this.context.client<Role>(RBAC, 'Role', a.namespace).find(b.roleRef.name))?.rules ?? [];
        if (rules.some((r) => ruleAllows(r, a))) {
          return {
            allowed: true,
            reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to User "${a.user.name}"`,
          };
        }
      }
    }
    return { allowed: false };
  }
}

/** Creates the default ClusterRoles and ClusterRoleBindings that are missing (as the RBAC bootstrap). */
export async function ensureDefaultRoles(context: ApiContext): Promise<void> {
  const roles = context.client<ClusterRole>(RBAC, 'ClusterRole');
  for (const r of DEFAULT_CLUSTER_ROLES) {
    if (!(await roles.find(r.metadata.name!)))
      await roles.create(r).catch((e) => (TugboatError.is(e, 'AlreadyExists') ? undefined : Promise.reject(e)));
  }
  const bindings = context.client<ClusterRoleBinding>(RBAC, 'ClusterRoleBinding');
  for (const b of DEFAULT_CLUSTER_ROLE_BINDINGS) {
    if (!(await bindings.find(b.metadata.name!)))
      await bindings.create(b).catch((e) => (TugboatError.is(e, 'AlreadyExists') ? undefined : Promise.reject(e)));
  }
}
