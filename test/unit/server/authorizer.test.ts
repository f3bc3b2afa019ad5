import { describe, expect, it } from 'vitest';
import { forbiddenMessage } from '../../../src/server/authorizer.js';

describe('forbiddenMessage', () => {
  const user = { name: 'viewer', groups: [] };
  it('names the resource alone before "is forbidden", and the subresource after (as kube-apiserver)', () => {
    expect(
      forbiddenMessage({
        user,
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        subresource: 'portforward',
        namespace: 'default',
        name: 'web',
      }),
    ).toBe('pods "web" is forbidden: User "viewer" cannot create resource "pods/portforward" in API group "" in the namespace "default"');
    expect(forbiddenMessage({ user, verb: 'list', resourceRequest: true, apiGroup: 'apps', resource: 'deployments' })).toBe(
      'deployments.apps is forbidden: User "viewer" cannot list resource "deployments" in API group "apps" at the cluster scope',
    );
  });
});
