/** Authentication and RBAC through the real kubectl, and in-process through cluster.as(user). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { ServedApi } from '../../../src/server/types.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

describe.skipIf(!kubectlAvailable())('RBAC through kubectl', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let admin: Kubectl;
  let viewer: Kubectl;

  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    api = await cluster.serve({ tokens: [{ token: 'viewer-token', user: 'viewer', groups: ['readers'] }] });
    admin = new Kubectl(api.kubeconfig);
    viewer = new Kubectl(api.kubeconfigFor('viewer'));
    await cluster.configMaps().create({ metadata: { name: 'x' }, data: { a: '1' } });
    await cluster.client(RBAC, 'RoleBinding').create({
      metadata: { name: 'viewers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    admin?.cleanup();
    viewer?.cleanup();
  });

  it('a viewer can get but not delete, with Kubernetes’ Forbidden message', async () => {
    expect(await viewer.ok(['get', 'configmap', 'x', '-o', 'name'])).toBe('configmap/x\n');
    const denied = await viewer.run(['delete', 'configmap', 'x']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(
      'Error from server (Forbidden): configmaps "x" is forbidden: User "viewer" cannot delete resource "configmaps" in API group "" in the namespace "default"',
    );
    expect(await cluster.configMaps().find('x')).toBeDefined();
    const otherNs = await viewer.run(['get', 'configmaps', '-n', 'kube-system']);
    expect(otherNs.stderr).toContain('User "viewer" cannot list resource "configmaps" in API group "" in the namespace "kube-system"');
    const secrets = await viewer.run(['get', 'secrets']);
    expect(secrets.stderr).toContain('cannot list resource "secrets"');
  });

  it('a bad token is Unauthorized', async () => {
    const bad = new Kubectl(api.kubeconfigFor({ token: 'nope', user: 'mallory' }));
    try {
      const r = await bad.run(['get', 'pods']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/,
      );
    } finally {
      bad.cleanup();
    }
  });

  it('a client certificate authenticates its CN and groups', async () => {
    const certUser = new Kubectl(api.kubeconfigFor('ops', ['system:masters']));
    try {
      expect(await certUser.ok(['auth', 'whoami'])).toMatch(/ops/);
      expect((await certUser.ok(['auth', 'can-i', 'delete', 'nodes'])).trim()).toBe('yes');
    } finally {
      certUser.cleanup();
    }
  });

  it('auth can-i answers as Kubernetes would', async () => {
    expect((await viewer.run(['auth', 'can-i', 'get', 'pods'])).stdout.trim()).toBe('yes');
    const no = await viewer.run(['auth', 'can-i', 'delete', 'pods']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    expect((await viewer.run(['auth', 'can-i', 'get', 'pods', '-n', 'kube-system'])).stdout.trim()).toBe('no');
    expect((await admin.ok(['auth', 'can-i', '*', '*'])).trim()).toBe('yes');
    const asViewer = await admin.run(['auth', 'can-i', 'delete', 'pods', '--as', 'viewer']);
    expect([asViewer.code, asViewer.stdout.trim()]).toEqual([1, 'no']);
    expect((await viewer.run(['get', 'pods', '--as', 'admin'])).stderr).toContain(
      'User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('an edit RoleBinding with resourceNames grants only those objects; the roles are validated', async () => {
    await cluster.client(RBAC, 'Role').create({
      metadata: { name: 'patch-x' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'], verbs: ['patch', 'get'] }],
    });
    await cluster.client(RBAC, 'RoleBinding').create({
      metadata: { name: 'patchers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'patch-x' },
      subjects: [{ kind: 'Group', name: 'readers' }],
    });
    await viewer.ok(['label', 'configmap', 'x', 'ok=yes']);
    await cluster.configMaps().create({ metadata: { name: 'y' } });
    expect((await viewer.run(['label', 'configmap', 'y', 'ok=yes'])).stderr).toContain('cannot patch resource "configmaps"');
    const bad = await cluster
      .client(RBAC, 'Role')
      .create({ metadata: { name: 'bad' }, rules: [{ apiGroups: [''], resources: ['pods'] }] })
      .catch((e) => e);
    expect(TugboatError.is(bad, 'Invalid')).toBe(true);
    expect(bad.causes[0].field).toBe('rules[0].verbs');
  });

  it('cluster.as(user) authorizes in-process callers the same way', async () => {
    const asViewer = await cluster.as('viewer');
    expect((await asViewer.client('v1', 'ConfigMap').get('x')).metadata.name).toBe('x');
    const err = await asViewer
      .client('v1', 'ConfigMap')
      .delete('x')
      .catch((e) => e);
    expect(TugboatError.is(err, 'Forbidden')).toBe(true);
    expect(err.message).toBe(
      'configmaps "x" is forbidden: User "viewer" cannot delete resource "configmaps" in API group "" in the namespace "default"',
    );
    const nobody = await cluster.as('nobody');
    expect(
      await nobody
        .client('v1', 'ConfigMap')
        .list()
        .catch((e) => e.reason),
    ).toBe('Forbidden');
  });
});
