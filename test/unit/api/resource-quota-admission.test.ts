import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { rejection } from '../../support/rejection.js';
import type { KubeObject, Pod } from '../../../src/model/types.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const start = async () =>
  (cluster = await Cluster.start({ clock: new FakeClock(new Date('2026-01-01T00:00:00Z')), name: 'rq', scheduler: false }));

const quota = (name: string, hard: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'default' },
  spec: { hard, ...extra },
});
const pod = (name: string, resources: object = {}, spec: object = {}): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'img', resources }], ...spec } }) as Pod;

async function used(c: Cluster, name: string): Promise<Record<string, string> | undefined> {
  const q = (await c.client<KubeObject>('v1', 'ResourceQuota', 'default').get(name)) as { status?: { used?: Record<string, string> } };
  return q.status?.used;
}

describe('ResourceQuota admission', () => {
  it('rejects the pod past the pods limit with Kubernetes exact message (403), charging status.used', async () => {
    const c = await start();
    await c.apply(quota('q', { pods: '2' }));
    const pods = c.pods('default');
    await pods.create(pod('a'));
    await pods.create(pod('b'));
    expect(await used(c, 'q')).toEqual({ pods: '2' });
    const err = await rejection(pods.create(pod('c')));
    expect(err.reason).toBe('Forbidden');
    expect(err.status.code).toBe(403);
    expect(err.message).toBe('pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
    expect(await pods.find('c')).toBeUndefined();
    expect(await used(c, 'q')).toEqual({ pods: '2' });
  });

  it('lets only one of two simultaneous creates take the last slot', async () => {
    const c = await start();
    await c.apply(quota('q', { pods: '1' }));
    const pods = c.pods('default');
    const results = await Promise.allSettled([pods.create(pod('x')), pods.create(pod('y'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String((failed.reason as Error).message)).toMatch(/exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1$/);
    expect((await pods.list()).items).toHaveLength(1);
  });

  it('requires every container to state a quota-tracked request or limit', async () => {
    const c = await start();
    await c.apply(quota('compute', { 'limits.cpu': '2', 'requests.memory': '1Gi' }));
    const pods = c.pods('default');
    const p = pod('p');
    p.spec!.containers.push({ name: 'b', image: 'img', resources: { requests: { memory: '10Mi' } } });
    const err = await rejection(pods.create(p));
    expect(err.status.code).toBe(403);
    expect(err.message).toBe('pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: b,c; requests.memory for: c');
  });

  it('sums requests and limits (a limit stands for a missing request) and prints quantities as Kubernetes does', async () => {
    const c = await start();
    await c.apply(quota('mem', { 'requests.memory': '1Gi', 'limits.cpu': '1' }));
    const pods = c.pods('default');
    await pods.create(pod('a', { limits: { memory: '768Mi', cpu: '500m' } }));
    expect(await used(c, 'mem')).toEqual({ 'limits.cpu': '500m', 'requests.memory': '768Mi' });
    const err = await rejection(pods.create(pod('b', { limits: { memory: '512Mi', cpu: '100m' } })));
    expect(err.message).toBe(
      'pods "b" is forbidden: exceeded quota: mem, requested: requests.memory=512Mi, used: requests.memory=768Mi, limited: requests.memory=1Gi',
    );
  });

  it('counts objects by legacy and count/ names, and Service node ports and load balancers', async () => {
    const c = await start();
    // kube-root-ca.crt (the root-ca-cert-publisher's) counts, as in Kubernetes.
    await c.apply(quota('objs', { configmaps: '2', 'count/secrets': '1', 'services.loadbalancers': '0' }));
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    await c.apply(cm('one'));
    const err = await rejection(c.client('v1', 'ConfigMap', 'default').create(cm('two')));
    expect(err.message).toBe(
      'configmaps "two" is forbidden: exceeded quota: objs, requested: configmaps=1, used: configmaps=2, limited: configmaps=2',
    );
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' } });
    await c.client('v1', 'Secret', 'default').create(secret('s1'));
    const err2 = await rejection(c.client('v1', 'Secret', 'default').create(secret('s2')));
    expect(err2.message).toMatch(/requested: count\/secrets=1, used: count\/secrets=1, limited: count\/secrets=1$/);
    const lb = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    };
    const err3 = await rejection(c.client('v1', 'Service', 'default').create(lb));
    expect(err3.message).toBe(
      'services "lb" is forbidden: exceeded quota: objs, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0',
    );
  });

  it('applies scoped quotas only to the pods they select', async () => {
    const c = await start();
    await c.apply(quota('be', { pods: '0' }, { scopes: ['BestEffort'] }));
    await c.apply(
      quota(
        'hi',
        { pods: '0' },
        { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
      ),
    );
    await c.apply(quota('term', { pods: '0' }, { scopes: ['Terminating'] }));
    const pods = c.pods('default');
    expect((await rejection(pods.create(pod('besteffort')))).message).toMatch(/exceeded quota: be,/);
    await pods.create(pod('burstable', { requests: { cpu: '10m' } }));
    await c.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    expect((await rejection(pods.create(pod('high', { requests: { cpu: '10m' } }, { priorityClassName: 'high' })))).message).toMatch(
      /exceeded quota: hi,/,
    );
    expect((await rejection(pods.create(pod('deadline', { requests: { cpu: '10m' } }, { activeDeadlineSeconds: 60 })))).message).toMatch(
      /exceeded quota: term,/,
    );
  });

  it('charges a PVC resize by its delta of requests.storage', async () => {
    const c = await start();
    await c.apply({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'grow' },
      provisioner: 'x',
      allowVolumeExpansion: true,
    });
    await c.apply(quota('st', { 'requests.storage': '3Gi' }));
    const claims = c.client<KubeObject>('v1', 'PersistentVolumeClaim', 'default');
    const claim = await claims.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName: 'grow', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
    } as KubeObject);
    expect(await used(c, 'st')).toEqual({ 'requests.storage': '2Gi' });
    const bound = await claims.updateStatus({ ...claim, status: { phase: 'Bound' } } as KubeObject);
    const bigger = structuredClone(bound) as { spec: { resources: { requests: { storage: string } } } } & KubeObject;
    bigger.spec.resources.requests.storage = '4Gi';
    const err = await rejection(claims.update(bigger));
    expect(err.message).toBe(
      'persistentvolumeclaims "data" is forbidden: exceeded quota: st, requested: requests.storage=2Gi, used: requests.storage=2Gi, limited: requests.storage=3Gi',
    );
    bigger.spec.resources.requests.storage = '3Gi';
    await claims.update(bigger);
    expect(await used(c, 'st')).toEqual({ 'requests.storage': '3Gi' });
  });
});
