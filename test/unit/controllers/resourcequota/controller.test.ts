import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../../src/testing/mock-cluster.js';
import type { KubeObject, Pod } from '../../../../src/model/types.js';

type Quota = KubeObject & { status?: { hard?: Record<string, string>; used?: Record<string, string> } };

const quotaYaml = (name: string, hard: string, extra = '') =>
  `apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: ${name}, namespace: default}\nspec: {hard: ${hard}${extra}}\n`;
const pod = (name: string, spec: object = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } } }], ...spec },
  }) as Pod;

describe('resource-quota controller', () => {
  it('fills status.hard and status.used from the objects already there, and follows creates and deletes', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const pods = cluster.pods('default');
    await pods.create(pod('before'));
    await cluster.client('v1', 'ConfigMap', 'default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    await cluster.apply(quotaYaml('q', '{pods: "5", requests.cpu: "1", limits.cpu: "2", configmaps: "3", count/deployments.apps: "2"}'));
    const quotas = cluster.client<Quota>('v1', 'ResourceQuota', 'default');
    const status = async () => (await quotas.get('q')).status;
    await cluster.advanceUntil(async () => (await status())?.used?.pods === '1');
    // kube-root-ca.crt (the root-ca-cert-publisher's) counts beside ours, as in Kubernetes.
    expect(await status()).toEqual({
      hard: { configmaps: '3', 'count/deployments.apps': '2', 'limits.cpu': '2', pods: '5', 'requests.cpu': '1' },
      used: { configmaps: '2', 'count/deployments.apps': '0', 'limits.cpu': '200m', pods: '1', 'requests.cpu': '100m' },
    });
    await pods.create(pod('two'));
    await cluster.advanceUntil(async () => (await status())?.used?.pods === '2');
    expect((await status())?.used?.['requests.cpu']).toBe('200m');
    await pods.delete('before', { gracePeriodSeconds: 0 });
    await pods.delete('two', { gracePeriodSeconds: 0 });
    await cluster.advanceUntil(async () => (await status())?.used?.pods === '0');
    expect((await status())?.used).toMatchObject({ pods: '0', 'requests.cpu': '0', 'limits.cpu': '0' });
  });

  it('stops counting a pod whose phase turns Succeeded or Failed, but keeps it in count/pods', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    await cluster.apply(quotaYaml('q', '{pods: "1", count/pods: "5"}'));
    const pods = cluster.pods('default');
    const created = await pods.create(pod('done'));
    const quotas = cluster.client<Quota>('v1', 'ResourceQuota', 'default');
    await cluster.advanceUntil(async () => (await quotas.get('q')).status?.used?.pods === '1');
    await pods.patchStatus(created.metadata.name!, { status: { phase: 'Succeeded' } });
    await cluster.advanceUntil(async () => (await quotas.get('q')).status?.used?.pods === '0');
    expect((await quotas.get('q')).status?.used).toEqual({ 'count/pods': '1', pods: '0' });
    // The freed slot admits a new pod.
    await pods.create(pod('next'));
  });

  it('counts scoped quotas by their scopes', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    await cluster.apply(quotaYaml('term', '{pods: "3"}', ', scopes: [Terminating]'));
    await cluster.apply(quotaYaml('forever', '{pods: "3"}', ', scopes: [NotTerminating]'));
    const pods = cluster.pods('default');
    await pods.create(pod('job-like', { activeDeadlineSeconds: 30 }));
    await pods.create(pod('server-1'));
    await pods.create(pod('server-2'));
    const quotas = cluster.client<Quota>('v1', 'ResourceQuota', 'default');
    await cluster.advanceUntil(async () => (await quotas.get('forever')).status?.used?.pods === '2');
    expect((await quotas.get('term')).status?.used).toEqual({ pods: '1' });
    await pods.delete('job-like', { gracePeriodSeconds: 0 });
    await cluster.advanceUntil(async () => (await quotas.get('term')).status?.used?.pods === '0');
    expect((await quotas.get('forever')).status?.used).toEqual({ pods: '2' });
  });
});
