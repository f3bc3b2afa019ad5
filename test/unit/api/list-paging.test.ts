import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';

describe('paged lists through the client', () => {
  it('passes limit and continue to the store: pages in order, one resourceVersion, BadRequest for a bad limit', async () => {
    const cluster = await Cluster.start({ controllers: false, scheduler: false });
    try {
      const cms = cluster.configMaps();
      for (const name of ['c', 'a', 'e', 'b', 'd']) await cms.create({ metadata: { name } });
      const first = await cms.list({ limit: 2 });
      expect(first.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect(first.remainingItemCount).toBe(3);
      await cms.delete('c');
      const rest = await cms.list({ limit: 10, continue: first.continue });
      expect(rest.items.map((o) => o.metadata.name)).toEqual(['c', 'd', 'e']);
      expect(rest.resourceVersion).toBe(first.resourceVersion);
      expect(rest.continue).toBeUndefined();
      expect((await rejection(cms.list({ limit: -1 }))).reason).toBe('BadRequest');
    } finally {
      await cluster.stop();
    }
  });
});
