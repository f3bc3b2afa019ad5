import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../../src/testing/mock-cluster.js';

describe('service-account controller', () => {
  it('gives every namespace a default ServiceAccount, and makes it again when deleted', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const sa = (ns: string) => cluster.client('v1', 'ServiceAccount', ns);
    await cluster.settled();
    for (const ns of ['default', 'kube-system']) expect(await sa(ns).find('default')).toBeDefined();
    await cluster.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n');
    await cluster.advanceUntil(async () => Boolean(await sa('team').find('default')));
    await sa('team').delete('default');
    await cluster.advanceUntil(async () => Boolean(await sa('team').find('default')));
    expect((await sa('team').get('default')).metadata.namespace).toBe('team');
  });
});
