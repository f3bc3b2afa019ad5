import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import type { Deployment } from '../../../src/model/types.js';

const deployment = (version: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { version: String(version) } },
  spec: {
    replicas: 1 + (version % 5),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `nginx:1.${version}` }] } },
  },
});

describe('writes without preconditions are retried until they apply (GuaranteedUpdate)', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('20 concurrent applies of versions of one Deployment all succeed', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => cluster.apply(deployment(i))));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const live = await cluster.deployments().get('web');
    // The last write wins whole: its labels, replicas and image agree.
    const version = Number(live.metadata.labels?.version);
    expect(live.spec?.template.spec?.containers[0].image).toBe(`nginx:1.${version}`);
    expect(live.spec?.replicas).toBe(1 + (version % 5));
  });

  it('50 concurrent merge, strategic and JSON patches without a resourceVersion all apply', async () => {
    await cluster.configMaps().create({ metadata: { name: 'counter' }, data: {} });
    const writes = Array.from({ length: 50 }, (_, i) => {
      if (i % 3 === 0) return cluster.configMaps().patch('counter', { data: { [`k${i}`]: String(i) } }, 'merge');
      if (i % 3 === 1) return cluster.configMaps().patch('counter', { data: { [`k${i}`]: String(i) } }, 'strategic');
      return cluster.configMaps().patch('counter', [{ op: 'add', path: `/data/k${i}`, value: String(i) }], 'json');
    });
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const live = await cluster.configMaps().get('counter');
    expect(Object.keys(live.data ?? {})).toHaveLength(50);
  });

  it('a caller who sent a resourceVersion still sees Conflict', async () => {
    const cm = await cluster.configMaps().create({ metadata: { name: 'pinned' }, data: { a: '1' } });
    await cluster.configMaps().patch('pinned', { data: { a: '2' } });
    const err = await rejection(
      cluster.configMaps().patch('pinned', { metadata: { resourceVersion: cm.metadata.resourceVersion }, data: { a: '3' } }),
    );
    expect(err.reason).toBe('Conflict');
    const update = await rejection(cluster.configMaps().update({ ...cm, data: { a: '4' } }));
    expect(update.reason).toBe('Conflict');
  });
});
