/**
 * ServiceAccount tokens through the real kubectl: `kubectl create token` (the TokenRequest
 * subresource) and `kubectl --token`: the token is its ServiceAccount's user, RBAC answers 200 for
 * what its RoleBinding grants and 403 otherwise; a token for another audience, of a deleted
 * ServiceAccount or bound to a deleted pod is Unauthorized.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { type Kubectl, kubectlAvailable, startServedKubectl, stopServedKubectl } from '../../support/kubectl.js';

const UNAUTHORIZED =
  /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/;

describe.skipIf(!kubectlAvailable())('ServiceAccount tokens through kubectl', () => {
  let cluster: Cluster;
  let admin: Kubectl;

  beforeAll(async () => {
    ({ cluster, k: admin } = await startServedKubectl());
    await cluster.configMaps().create({ metadata: { name: 'x' }, data: { a: '1' } });
    await admin.ok(['create', 'serviceaccount', 'bot']);
    await admin.ok(['create', 'rolebinding', 'bot-view', '--clusterrole=view', '--serviceaccount=default:bot']);
  });
  afterAll(() => stopServedKubectl({ cluster, k: admin }));

  const asToken = (token: string, args: string[]) => admin.run(['--token', token, ...args]);

  it('kubectl create token prints a token its RoleBinding authorizes, and RBAC refuses the rest', async () => {
    const token = (await admin.ok(['create', 'token', 'bot'])).trim();
    expect(token.split('.')).toHaveLength(3);
    expect((await asToken(token, ['get', 'configmap', 'x', '-o', 'name'])).stdout).toBe('configmap/x\n');
    const denied = await asToken(token, ['delete', 'configmap', 'x']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(
      'configmaps "x" is forbidden: User "system:serviceaccount:default:bot" cannot delete resource "configmaps" in API group "" in the namespace "default"',
    );
    const elsewhere = await asToken(token, ['get', 'configmaps', '-n', 'kube-system']);
    expect(elsewhere.stderr).toContain('User "system:serviceaccount:default:bot" cannot list resource "configmaps"');
    const whoami = await asToken(token, ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(whoami.stdout).status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    expect(await cluster.configMaps().find('x')).toBeDefined();
  });

  it('a token for another audience, or too short a duration, is refused', async () => {
    const vault = (await admin.ok(['create', 'token', 'bot', '--audience', 'vault', '--duration', '15m'])).trim();
    expect((await asToken(vault, ['get', 'configmaps'])).stderr).toMatch(UNAUTHORIZED);
    const short = await admin.run(['create', 'token', 'bot', '--duration', '1m']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('may not specify a duration less than 10 minutes');
  });

  it('a token bound to a pod stops authenticating once the pod is deleted', async () => {
    await cluster.pods().create({
      metadata: { name: 'p' },
      spec: { serviceAccountName: 'bot', containers: [{ name: 'c', image: 'i' }] },
    });
    const token = (await admin.ok(['create', 'token', 'bot', '--bound-object-kind', 'Pod', '--bound-object-name', 'p'])).trim();
    expect((await asToken(token, ['get', 'configmap', 'x', '-o', 'name'])).stdout).toBe('configmap/x\n');
    await cluster.pods().delete('p', { gracePeriodSeconds: 0 });
    expect((await asToken(token, ['get', 'configmaps'])).stderr).toMatch(UNAUTHORIZED);
  });

  it('a deleted ServiceAccount’s token is Unauthorized', async () => {
    await admin.ok(['create', 'serviceaccount', 'gone']);
    const token = (await admin.ok(['create', 'token', 'gone'])).trim();
    expect((await asToken(token, ['auth', 'whoami'])).code).toBe(0);
    await admin.ok(['delete', 'serviceaccount', 'gone']);
    expect((await asToken(token, ['auth', 'whoami'])).stderr).toMatch(UNAUTHORIZED);
  });
});
