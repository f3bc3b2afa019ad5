/**
 * The ServiceAccount admission's API access volume, as Kubernetes 1.30 adds it: the projected
 * kube-api-access-xxxxx volume (token 3607 s, kube-root-ca.crt's ca.crt, the namespace) mounted
 * read-only in every init and app container, unless the pod or its ServiceAccount opts out (the
 * pod's choice wins); a container mounting something at the path keeps it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Pod, core } from '../../../src/model/types.js';

const PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

let cluster: Cluster;
beforeEach(async () => {
  cluster = await Cluster.start({ clock: new FakeClock(Date.parse('2026-01-01T00:00:00Z')), scheduler: false, controllers: false });
  await cluster
    .client('v1', 'ServiceAccount', 'default')
    .create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
});
afterEach(async () => {
  await cluster.stop();
});

const create = (name: string, spec: Partial<core.PodSpec> = {}) =>
  cluster.pods().create({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } }) as Promise<Pod>;

describe('ServiceAccount admission: the API access volume', () => {
  it('adds the projected volume and mounts it in every init and app container', async () => {
    const pod = await create('p', {
      initContainers: [{ name: 'init', image: 'i' }],
      containers: [
        { name: 'a', image: 'i' },
        { name: 'b', image: 'i', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    });
    const volumes = pod.spec!.volumes!;
    expect(volumes).toHaveLength(2);
    const access = volumes[1];
    expect(access.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(access.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: access.name, readOnly: true, mountPath: PATH };
    expect(pod.spec!.initContainers![0].volumeMounts).toEqual([mount]);
    expect(pod.spec!.containers[0].volumeMounts).toEqual([mount]);
    expect(pod.spec!.containers[1].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, mount]);
    expect(pod.spec!.serviceAccountName).toBe('default');
  });

  it('adds nothing when the pod says automountServiceAccountToken: false', async () => {
    const pod = await create('p', { automountServiceAccountToken: false });
    expect(pod.spec!.volumes ?? []).toEqual([]);
    expect(pod.spec!.containers[0].volumeMounts ?? []).toEqual([]);
  });

  it('adds nothing when the ServiceAccount opts out, unless the pod opts in', async () => {
    await cluster
      .client('v1', 'ServiceAccount', 'default')
      .create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false });
    const off = await create('off', { serviceAccountName: 'quiet' });
    expect(off.spec!.volumes ?? []).toEqual([]);
    const on = await create('on', { serviceAccountName: 'quiet', automountServiceAccountToken: true });
    expect(on.spec!.volumes?.[0].name).toMatch(/^kube-api-access-/);
  });

  it('leaves a container that mounts something at the path alone, and reuses a kube-api-access volume the pod has', async () => {
    const own = await create('own', {
      containers: [
        { name: 'a', image: 'i', volumeMounts: [{ name: 'mine', mountPath: PATH }] },
        { name: 'b', image: 'i' },
      ],
      volumes: [{ name: 'mine', emptyDir: {} }],
    });
    expect(own.spec!.containers[0].volumeMounts).toEqual([{ name: 'mine', mountPath: PATH }]);
    expect(own.spec!.containers[1].volumeMounts?.[0].name).toMatch(/^kube-api-access-/);
    const all = await create('all', {
      containers: [{ name: 'a', image: 'i', volumeMounts: [{ name: 'mine', mountPath: PATH }] }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    });
    expect(all.spec!.volumes).toEqual([{ name: 'mine', emptyDir: {} }]);
    const reuse = await create('reuse', { volumes: [{ name: 'kube-api-access-abcde', emptyDir: {} }] });
    expect(reuse.spec!.volumes).toHaveLength(1);
    expect(reuse.spec!.containers[0].volumeMounts).toEqual([{ name: 'kube-api-access-abcde', readOnly: true, mountPath: PATH }]);
  });
});
