import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../src/testing/mock-cluster.js';
import { STORED_ONLY_KINDS } from '../../../src/api/stored-only.js';

const causes = (err: any): string[] => (err.status?.details?.causes ?? []).map((c: any) => c.field);

describe('the kinds Kubernetes 1.30 serves that real manifests use', () => {
  it('ServiceAccount admission: a pod runs as default, and one naming a missing ServiceAccount is Forbidden', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const pod = (name: string, sa?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { ...(sa ? { serviceAccountName: sa } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    const [plain] = await cluster.apply(pod('plain'));
    expect((plain.spec as any).serviceAccountName).toBe('default');
    const err = await cluster.apply(pod('robot', 'robot')).catch((e) => e);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe('pods "robot" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found');
    expect(await cluster.pods().find('robot')).toBeUndefined();
    await cluster.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } });
    const [robot] = await cluster.apply(pod('robot', 'robot'));
    expect((robot.spec as any).serviceAccountName).toBe('robot');
  });

  it('Secret stringData is merged into data (base64, its keys winning) and never stored', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const [secret] = await m.cluster.apply(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: b2xk, b: Yg==}\nstringData: {a: new, c: "x y"}\n',
    );
    expect(secret.data).toEqual({ a: Buffer.from('new').toString('base64'), b: 'Yg==', c: Buffer.from('x y').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect((await m.cluster.secrets().get('s')).stringData).toBeUndefined();
  });

  it('NetworkPolicy, LimitRange, ResourceQuota and APIService are stored and validated, with a warning for those nothing acts on', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const result = await cluster.apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec: {limits: [{type: Container, default: {cpu: 500m}}]}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: rq}
spec: {hard: {pods: "10"}}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec: {group: metrics.k8s.io, version: v1beta1, groupPriorityMinimum: 100, versionPriority: 100, service: {name: m, namespace: kube-system}}
`);
    expect(result.outcomes.map((o) => `${o.object} ${o.action}`)).toEqual([
      'networkpolicy.networking.k8s.io/deny created',
      'limitrange/lr created',
      'resourcequota/rq created',
      'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created',
    ]);
    expect(result.outcomes[0].warnings).toEqual([
      expect.stringContaining('NetworkPolicy deny: stored, but tugboat does not act on this kind yet: it is not enforced'),
    ]);
    // LimitRange and ResourceQuota are enforced by their admission plugins: no warning for them.
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings.some((w) => w.startsWith('LimitRange') || w.startsWith('ResourceQuota'))).toBe(false);
    const again = await cluster.apply('apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: rq}\nspec: {hard: {pods: "10"}}\n');
    expect(again.outcomes[0].action).toBe('unchanged');
    const bad = await cluster
      .apply(
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}, policyTypes: [Sideways]}\n',
      )
      .catch((e) => e);
    expect(causes(bad)).toEqual(['spec.policyTypes[0]']);
    const badLimit = await cluster
      .apply('apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr2}\nspec: {limits: [{type: Node}]}\n')
      .catch((e) => e);
    expect(causes(badLimit)).toEqual(['spec.limits[0].type']);
    const badQuota = await cluster
      .apply('apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: rq2}\nspec: {hard: {cpu: lots}}\n')
      .catch((e) => e);
    expect(causes(badQuota)).toEqual(['spec.hard[cpu]']);
    const badName = await cluster
      .apply(
        'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: wrong}\nspec: {group: g.io, version: v1, groupPriorityMinimum: 1, versionPriority: 1}\n',
      )
      .catch((e) => e);
    expect(causes(badName)).toEqual(['metadata.name']);
  });

  it('a kind or version tugboat does not serve names itself, and what is served instead', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const removed = await m.cluster.apply('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n').catch((e) => e);
    expect(removed.message).toBe(
      'no matches for kind "Deployment" in version "extensions/v1beta1": version "extensions/v1beta1" is not served (removed or never served by Kubernetes 1.30); served: apps/v1',
    );
    const unknown = await m.cluster.apply('apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n').catch((e) => e);
    expect(unknown.message).toMatch(/^no matches for kind "Gadget" in version "example.com\/v1": tugboat serves no such kind/);
  });

  it('keeps the stored-only list in one place, naming served kinds', () => {
    expect(Object.keys(STORED_ONLY_KINDS)).toContain('networking.k8s.io/NetworkPolicy');
  });
});
