/**
 * The ClusterRoles and ClusterRoleBindings every cluster starts with, as kube-apiserver's RBAC
 * bootstrap makes them: cluster-admin (bound to system:masters), the aggregated user-facing roles
 * admin, edit and view, and system:discovery and system:basic-user for every authenticated user.
 */
import type { ClusterRole, ClusterRoleBinding } from '../../model/kinds/rbac.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const VIEWABLE: Record<string, string[]> = {
  '': [
    'configmaps',
    'endpoints',
    'persistentvolumeclaims',
    'persistentvolumeclaims/status',
    'pods',
    'pods/log',
    'pods/status',
    'replicationcontrollers',
    'replicationcontrollers/scale',
    'replicationcontrollers/status',
    'serviceaccounts',
    'services',
    'services/status',
    'bindings',
    'events',
    'limitranges',
    'namespaces',
    'namespaces/status',
    'resourcequotas',
    'resourcequotas/status',
  ],
  apps: [
    'controllerrevisions',
    'daemonsets',
    'daemonsets/status',
    'deployments',
    'deployments/scale',
    'deployments/status',
    'replicasets',
    'replicasets/scale',
    'replicasets/status',
    'statefulsets',
    'statefulsets/scale',
    'statefulsets/status',
  ],
  autoscaling: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
  batch: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'ingresses/status', 'networkpolicies'],
  policy: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
};

const EDITABLE: Record<string, string[]> = {
  '': [
    'pods',
    'pods/attach',
    'pods/exec',
    'pods/portforward',
    'pods/proxy',
    'configmaps',
    'endpoints',
    'persistentvolumeclaims',
    'replicationcontrollers',
    'replicationcontrollers/scale',
    'secrets',
    'serviceaccounts',
    'services',
    'services/proxy',
    'events',
  ],
  apps: [
    'daemonsets',
    'deployments',
    'deployments/rollback',
    'deployments/scale',
    'replicasets',
    'replicasets/scale',
    'statefulsets',
    'statefulsets/scale',
  ],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  policy: ['poddisruptionbudgets'],
};

const rulesOf = (table: Record<string, string[]>, verbs: string[]) =>
  Object.entries(table).map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));

function role(name: string, rules: ClusterRole['rules'], labels: Record<string, string> = {}, aggregate?: string[]): ClusterRole {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels } },
    ...(aggregate
      ? { aggregationRule: { clusterRoleSelectors: aggregate.map((a) => ({ matchLabels: { [`${AGG}${a}`]: 'true' } })) }, rules: [] }
      : { rules }),
  };
}

function binding(name: string, roleName: string, group: string): ClusterRoleBinding {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  };
}

/** The default ClusterRoles. */
export const DEFAULT_CLUSTER_ROLES: readonly ClusterRole[] = [
  role('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  role('admin', [], {}, ['admin']),
  role('edit', [], { [`${AGG}admin`]: 'true' }, ['edit']),
  role('view', [], { [`${AGG}admin`]: 'true', [`${AGG}edit`]: 'true' }, ['view']),
  role(
    'system:aggregate-to-admin',
    [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...READ, ...WRITE] },
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
    ],
    { [`${AGG}admin`]: 'true' },
  ),
  role('system:aggregate-to-edit', [...rulesOf(EDITABLE, WRITE), ...rulesOf({ '': ['secrets'] }, READ)], {
    [`${AGG}admin`]: 'true',
    [`${AGG}edit`]: 'true',
  }),
  role('system:aggregate-to-view', rulesOf(VIEWABLE, READ), { [`${AGG}admin`]: 'true', [`${AGG}edit`]: 'true', [`${AGG}view`]: 'true' }),
  role('system:discovery', [
    {
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
      verbs: ['get'],
    },
  ]),
  role('system:basic-user', [
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ]),
];

/** The default ClusterRoleBindings. */
export const DEFAULT_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  binding('cluster-admin', 'cluster-admin', 'system:masters'),
  binding('system:discovery', 'system:discovery', 'system:authenticated'),
  binding('system:basic-user', 'system:basic-user', 'system:authenticated'),
];
