/** The RBAC kinds (rbac.authorization.k8s.io/v1): Role, ClusterRole, RoleBinding, ClusterRoleBinding. */
import type * as rbac from 'kubernetes-types/rbac/v1.js';
import type { StatusCause, Typed } from '../types.js';
import { defineKind } from './define-kind.js';
import { immutable, notSupported, required } from '../validation/field-errors.js';

const names = { group: 'rbac.authorization.k8s.io', version: 'v1', nameFormat: 'path-segment', hasStatus: false } as const;

/** A Role (rbac.authorization.k8s.io/v1). */
export type Role = Typed<rbac.Role>;
/** A ClusterRole. */
export type ClusterRole = Typed<rbac.ClusterRole>;
/** A RoleBinding. */
export type RoleBinding = Typed<rbac.RoleBinding>;
/** A ClusterRoleBinding. */
export type ClusterRoleBinding = Typed<rbac.ClusterRoleBinding>;

function validateRules(rules: unknown, at = 'rules', clusterScoped = false): StatusCause[] {
  const causes: StatusCause[] = [];
  if (rules === undefined || rules === null) return causes;
  if (!Array.isArray(rules)) return [required(at, 'must be a list of PolicyRules')];
  rules.forEach((r: rbac.PolicyRule, i) => {
    const p = `${at}[${i}]`;
    if (!Array.isArray(r?.verbs) || r.verbs.length === 0) causes.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    const hasResources = Array.isArray(r?.resources) && r.resources.length > 0;
    const hasUrls = Array.isArray(r?.nonResourceURLs) && r.nonResourceURLs.length > 0;
    if (hasUrls && !clusterScoped)
      causes.push({
        field: `${p}.nonResourceURLs`,
        message: 'Invalid value: namespaced rules cannot apply to non-resource URLs',
        reason: 'FieldValueInvalid',
      });
    if (hasResources && hasUrls)
      causes.push({
        field: `${p}.nonResourceURLs`,
        message: 'Invalid value: rules cannot apply to both regular resources and non-resource URLs',
        reason: 'FieldValueInvalid',
      });
    if (!hasUrls && hasResources && !Array.isArray(r?.apiGroups))
      causes.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!hasResources && !hasUrls) causes.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return causes;
}

function validateBinding(b: RoleBinding | ClusterRoleBinding, clusterScoped: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref = b.roleRef;
  if (!ref?.name) causes.push(required('roleRef.name'));
  if (ref?.apiGroup !== 'rbac.authorization.k8s.io')
    causes.push(notSupported('roleRef.apiGroup', ref?.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref?.kind ?? '')) causes.push(notSupported('roleRef.kind', ref?.kind ?? '', kinds));
  (b.subjects ?? []).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!['User', 'Group', 'ServiceAccount'].includes(s?.kind))
      causes.push(notSupported(`${p}.kind`, s?.kind ?? '', ['Group', 'ServiceAccount', 'User']));
    if (!s?.name) causes.push(required(`${p}.name`));
    if (s?.kind === 'ServiceAccount' && clusterScoped && !s.namespace) causes.push(required(`${p}.namespace`));
  });
  return causes;
}

const roleRefImmutable = (o: RoleBinding, old: RoleBinding): StatusCause[] =>
  JSON.stringify(o.roleRef) === JSON.stringify(old.roleRef) ? [] : [immutable('roleRef', o.roleRef)];

/** Role. */
export const RoleType = defineKind<Role>(
  { ...names, kind: 'Role', plural: 'roles', singular: 'role', namespaced: true },
  { validate: (o) => validateRules(o.rules) },
);

/** ClusterRole (with aggregationRule: its rules are the union of the roles its selectors match). */
export const ClusterRoleType = defineKind<ClusterRole>(
  { ...names, kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false },
  { validate: (o) => validateRules(o.rules, 'rules', true) },
);

/** RoleBinding. */
export const RoleBindingType = defineKind<RoleBinding>(
  { ...names, kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true },
  { validate: (o) => validateBinding(o, false), validateUpdate: roleRefImmutable },
);

/** ClusterRoleBinding. */
export const ClusterRoleBindingType = defineKind<ClusterRoleBinding>(
  { ...names, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false },
  { validate: (o) => validateBinding(o, true), validateUpdate: roleRefImmutable },
);
