import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { Pod } from '../../../src/model/types.js';

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };

describe('pod binding', () => {
  it('sets spec.nodeName and PodScheduled once, and refuses to rebind', async () => {
    await using cluster = await Cluster.start({ scheduler: false, controllers: false });
    const created = await cluster.pods().create(pod);
    const bound = await cluster.context.bindPod({ namespace: 'default', name: 'p', nodeName: 'node-a', uid: created.metadata.uid });
    expect(bound.spec?.nodeName).toBe('node-a');
    expect(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    const again = await rejection(cluster.context.bindPod({ namespace: 'default', name: 'p', nodeName: 'node-b' }));
    expect(again.reason).toBe('Conflict');
    expect(again.message).toContain('already assigned to node "node-a"');
    expect((await cluster.pods().get('p')).spec?.nodeName).toBe('node-a');
  });

  it('refuses a binding for a replaced pod (uid mismatch)', async () => {
    await using cluster = await Cluster.start({ scheduler: false, controllers: false });
    await cluster.pods().create(pod);
    const err = await rejection(cluster.context.bindPod({ namespace: 'default', name: 'p', nodeName: 'n', uid: 'old' }));
    expect(err.reason).toBe('Conflict');
    expect((await cluster.pods().get('p')).spec?.nodeName).toBeUndefined();
  });

  it('a normal update may not change spec.nodeName', async () => {
    await using cluster = await Cluster.start({ scheduler: false, controllers: false });
    const created = await cluster.pods().create(pod);
    const err = await rejection(cluster.pods().update({ ...created, spec: { ...created.spec!, nodeName: 'x' } }));
    expect(err.reason).toBe('Invalid');
  });
});
