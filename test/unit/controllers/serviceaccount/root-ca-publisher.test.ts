/**
 * The root-ca-cert-publisher: kube-root-ca.crt in every namespace, holding the CA that
 * cluster.serve() publishes in kube-system (empty before), restored when edited or deleted.
 */
import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../../src/testing/mock-cluster.js';
import type { ConfigMap } from '../../../../src/model/types.js';

describe('root-ca-cert-publisher', () => {
  it('keeps kube-root-ca.crt in every namespace with the served CA', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const maps = (ns: string) => cluster.client<ConfigMap>('v1', 'ConfigMap', ns);
    const caOf = async (ns: string) => (await maps(ns).find('kube-root-ca.crt'))?.data?.['ca.crt'];
    await cluster.settled();
    for (const ns of ['default', 'kube-system', 'kube-public']) expect(await caOf(ns)).toBe('');
    const published = await maps('default').get('kube-root-ca.crt');
    expect(published.metadata.annotations?.['kubernetes.io/description']).toMatch(
      /^Contains a CA bundle that can be used to verify the kube-apiserver/,
    );
    // What cluster.serve() writes: copied into every namespace, new ones included.
    await maps('kube-system').create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tugboat-serving-ca' },
      data: { 'ca.crt': 'PEM' },
    });
    await cluster.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n');
    await cluster.advanceUntil(async () => (await caOf('team')) === 'PEM' && (await caOf('default')) === 'PEM');
    // Edited or deleted: put back.
    await maps('team').update({ ...(await maps('team').get('kube-root-ca.crt')), data: { 'ca.crt': 'forged', extra: 'x' } });
    await cluster.advanceUntil(async () => (await maps('team').get('kube-root-ca.crt')).data?.extra === undefined);
    expect(await caOf('team')).toBe('PEM');
    await maps('default').delete('kube-root-ca.crt');
    await cluster.advanceUntil(async () => (await caOf('default')) === 'PEM');
  });
});
