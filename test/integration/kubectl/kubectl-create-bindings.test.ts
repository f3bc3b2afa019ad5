/**
 * `kubectl create rolebinding` and `create clusterrolebinding` send their bodies in Kubernetes'
 * protobuf encoding (typed clients); tugboat decodes them, so the bindings arrive with the
 * subjects and roleRef kubectl built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { type Kubectl, kubectlAvailable, startServedKubectl, stopServedKubectl } from '../../support/kubectl.js';

describe.skipIf(!kubectlAvailable())('kubectl create rolebinding/clusterrolebinding (protobuf bodies)', () => {
  let cluster: Cluster;
  let k: Kubectl;

  beforeAll(async () => {
    ({ cluster, k } = await startServedKubectl());
  });
  afterAll(() => stopServedKubectl({ cluster, k }));

  it('creates a RoleBinding with users, groups and service accounts, sent as protobuf', async () => {
    const out = await k.run([
      'create',
      'rolebinding',
      'readers',
      '--clusterrole=view',
      '--user=bob',
      '--group=devs',
      '--serviceaccount=default:bot',
      '-v=8',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('rolebinding.rbac.authorization.k8s.io/readers created');
    expect(out.stderr).toContain('Content-Type: application/vnd.kubernetes.protobuf');
    const rb = await cluster.client('rbac.authorization.k8s.io/v1', 'RoleBinding', 'default').get('readers');
    expect(rb).toMatchObject({
      metadata: { name: 'readers', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
      ],
    });
    // A Role reference and a second create (AlreadyExists through the same decoder).
    await k.ok(['create', 'role', 'pod-reader', '--verb=get', '--resource=pods']);
    await k.ok(['create', 'rolebinding', 'pods', '--role=pod-reader', '--user=ann']);
    const pods = await cluster.client('rbac.authorization.k8s.io/v1', 'RoleBinding', 'default').get('pods');
    expect((pods as any).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
    const again = await k.run(['create', 'rolebinding', 'pods', '--role=pod-reader', '--user=ann']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('rolebindings.rbac.authorization.k8s.io "pods" already exists');
  });

  it('creates a ClusterRoleBinding, and a bad binding is refused naming the field', async () => {
    await k.ok(['create', 'clusterrolebinding', 'ops', '--clusterrole=edit', '--group=ops']);
    const crb = await cluster.client('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding').get('ops');
    expect(crb).toMatchObject({
      metadata: { name: 'ops' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ops' }],
    });
    expect(crb.metadata.namespace).toBeUndefined();
    const bad = await k.run(['create', 'clusterrolebinding', 'a%b', '--clusterrole=edit', '--group=ops']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('metadata.name');
  });
});
