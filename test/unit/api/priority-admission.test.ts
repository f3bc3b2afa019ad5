import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import type { Pod } from '../../../src/model/types.js';

const pod = (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1' }], ...spec },
});

describe('Priority admission', () => {
  it('resolves priorityClassName into spec.priority and preemptionPolicy', async () => {
    await using cluster = await Cluster.start({ controllers: false, scheduler: false });
    await cluster.priorityClasses().create({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high' },
      value: 1000,
      preemptionPolicy: 'Never',
    });
    const p = await cluster.pods().create(pod('p', { priorityClassName: 'high' }));
    expect(p.spec?.priority).toBe(1000);
    expect(p.spec?.preemptionPolicy).toBe('Never');
    const sys = await cluster.pods().create(pod('s', { priorityClassName: 'system-node-critical' }));
    expect(sys.spec?.priority).toBe(2000001000);
  });

  it('uses the globalDefault class, else 0', async () => {
    await using cluster = await Cluster.start({ controllers: false, scheduler: false });
    expect((await cluster.pods().create(pod('zero'))).spec?.priority).toBe(0);
    await cluster
      .priorityClasses()
      .create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'd' }, value: 7, globalDefault: true });
    const p = await cluster.pods().create(pod('dflt'));
    expect([p.spec?.priorityClassName, p.spec?.priority]).toEqual(['d', 7]);
  });

  it('forbids an unknown class or a mismatching priority, storing nothing', async () => {
    await using cluster = await Cluster.start({ controllers: false, scheduler: false });
    const unknown = await rejection(cluster.pods().create(pod('u', { priorityClassName: 'nope' })));
    expect(unknown.reason).toBe('Forbidden');
    expect(unknown.message).toContain('no PriorityClass with name nope was found');
    const mismatch = await rejection(cluster.pods().create(pod('m', { priority: 5 })));
    expect(mismatch.reason).toBe('Forbidden');
    expect(await cluster.pods().find('u')).toBeUndefined();
    expect(await cluster.pods().find('m')).toBeUndefined();
  });
});
