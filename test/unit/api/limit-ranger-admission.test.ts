import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { rejection } from '../../support/rejection.js';
import type { Pod } from '../../../src/model/types.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const limits = {
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'limits', namespace: 'default' },
  spec: {
    limits: [
      {
        type: 'Container',
        max: { cpu: '1' },
        default: { cpu: '500m', memory: '256Mi' },
        defaultRequest: { cpu: '100m' },
        maxLimitRequestRatio: { cpu: '10' },
      },
      { type: 'Pod', max: { memory: '1Gi' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' } },
    ],
  },
};
const pod = (name: string, resources: object = {}): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'img', resources }] } }) as Pod;

describe('LimitRanger admission', () => {
  it('fills in Container defaults at pod create and rejects out-of-range values with Kubernetes messages (403)', async () => {
    cluster = await Cluster.start({ clock: new FakeClock(new Date('2026-01-01T00:00:00Z')), name: 'lr', scheduler: false });
    await cluster.apply(limits);
    const pods = cluster.pods('default');
    const created = await pods.create(pod('plain'));
    expect(created.spec?.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });

    const tooBig = await rejection(pods.create(pod('big', { limits: { cpu: '2' } })));
    expect(tooBig.reason).toBe('Forbidden');
    expect(tooBig.status.code).toBe(403);
    expect(tooBig.message).toBe('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    expect(await pods.find('big')).toBeUndefined();

    const ratio = await rejection(pods.create(pod('ratio', { requests: { cpu: '10m' }, limits: { cpu: '1' } })));
    expect(ratio.message).toBe(
      'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 10, but provided ratio is 100.000000',
    );

    const podMax = await rejection(pods.create(pod('mem', { limits: { memory: '2Gi' } })));
    // (the summed value is printed in bytes here; Kubernetes prints the sum as a Quantity, 2Gi)
    expect(podMax.message).toMatch(/^pods "mem" is forbidden: maximum memory usage per Pod is 1Gi, but limit is /);

    const pvcs = cluster.client('v1', 'PersistentVolumeClaim', 'default');
    const claim = await rejection(
      pvcs.create({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'small' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Mi' } } },
      }),
    );
    expect(claim.message).toBe(
      'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi',
    );
  });
});
