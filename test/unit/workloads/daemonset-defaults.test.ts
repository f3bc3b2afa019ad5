/** DaemonSet defaulting through the API: the strategy defaults and the template generation annotation. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonSet } from '../../../src/model/types.js';
import { startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

let m: MockCluster | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const GEN = 'deprecated.daemonset.template.generation';

describe('DaemonSet defaults', () => {
  it('defaults RollingUpdate 1/0 and history 10, and bumps the template generation only when the template changes', async () => {
    m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const client = m.cluster.client<DaemonSet>('apps/v1', 'DaemonSet', 'default');
    const created = await client.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd', namespace: 'default', annotations: { [GEN]: '7' } },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } },
      },
    });
    expect(created.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      minReadySeconds: 0,
    });
    expect(created.metadata.annotations?.[GEN]).toBe('1');
    const sameTemplate = await client.patch('d', { spec: { minReadySeconds: 5 } }, 'merge');
    expect(sameTemplate.metadata.annotations?.[GEN]).toBe('1');
    const newTemplate = await client.patch(
      'd',
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'i:2' }] } } } },
      'strategic',
    );
    expect(newTemplate.metadata.annotations?.[GEN]).toBe('2');
    // An update that drops the annotation keeps it.
    const { annotations: _dropped, ...meta } = newTemplate.metadata;
    const replaced = await client.update({ ...newTemplate, metadata: meta });
    expect(replaced.metadata.annotations?.[GEN]).toBe('2');
  });
});
