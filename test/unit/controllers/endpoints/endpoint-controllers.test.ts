import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../support/mock-cluster.js';
import type { EndpointSlice, Endpoints, Pod, Service } from '../../../../src/model/types.js';
import { serviceEndpoints } from '../../../../src/controllers/util/service-endpoints.js';

const pod = (name: string, labels: Record<string, string>, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }], ...spec },
});

const service = (name: string, spec: Partial<NonNullable<Service['spec']>> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }], ...spec },
});

const slicesOf = async (m: { cluster: { endpointSlices(): { list(o: object): Promise<{ items: EndpointSlice[] }> } } }, name: string) =>
  (await m.cluster.endpointSlices().list({ labelSelector: `kubernetes.io/service-name=${name}` })).items;

describe('Endpoints and EndpointSlice controllers', () => {
  it('list the ready pods a selector matches, named targetPorts resolved per pod, and follow pods coming and going', async () => {
    await using m = await startMockCluster({ nodes: 1 });
    const { cluster } = m;
    await cluster.services().create(service('web'));
    await cluster.pods().create(pod('web-1', { app: 'web' }));
    await cluster
      .pods()
      .create(
        pod('web-2', { app: 'web' }, { containers: [{ name: 'app', image: 'web:1', ports: [{ name: 'http', containerPort: 9090 }] }] }),
      );
    await cluster.pods().create(pod('other', { app: 'other' }));
    const ep = await cluster.advanceUntil(async () => {
      const e = await cluster.endpoints().find('web');
      return e?.subsets?.flatMap((s) => s.addresses ?? []).length === 2 ? e : undefined;
    });
    const ports = (ep as Endpoints).subsets?.map((s) => s.ports?.[0]?.port).sort();
    expect(ports).toEqual([8080, 9090]);
    expect(ep?.metadata.labels).toEqual({ tier: 'front' });
    const slices = await slicesOf(m, 'web');
    expect(slices.every((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io')).toBe(
      true,
    );
    expect(slices.every((s) => s.metadata.ownerReferences?.[0]?.kind === 'Service')).toBe(true);
    const endpoints = slices.flatMap((s) =>
      s.endpoints.map((e) => ({ pod: e.targetRef?.name, port: s.ports?.[0]?.port, ...e.conditions })),
    );
    expect(endpoints.sort((a, b) => String(a.pod).localeCompare(String(b.pod)))).toEqual([
      { pod: 'web-1', port: 8080, ready: true, serving: true, terminating: false },
      { pod: 'web-2', port: 9090, ready: true, serving: true, terminating: false },
    ]);
    // A pod that stops matching leaves; deleting the Service removes its Endpoints and slices.
    await cluster.pods().patch('web-2', { metadata: { labels: { app: 'moved' } } });
    await cluster.advanceUntil(async () => (await cluster.endpoints().get('web')).subsets?.length === 1);
    await cluster.advanceUntil(async () => (await slicesOf(m, 'web')).flatMap((s) => s.endpoints).length === 1);
    await cluster.services().delete('web');
    await cluster.advanceUntil(async () => !(await cluster.endpoints().find('web')) && (await slicesOf(m, 'web')).length === 0);
  });

  it('put not-ready pods in notReadyAddresses (ready false in slices), and publishNotReadyAddresses lists them as ready', async () => {
    await using m = await startMockCluster({ nodes: 1 });
    const { cluster } = m;
    m.runtime.image('slow:1', { readyAfterMs: 3_600_000 });
    const probe = { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 };
    const notReady = pod(
      'web-1',
      { app: 'web' },
      { containers: [{ name: 'app', image: 'slow:1', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: probe }] },
    );
    await cluster.pods().create(notReady);
    await cluster.services().create(service('web'));
    await cluster.services().create(service('all', { publishNotReadyAddresses: true }));
    const ep = await cluster.advanceUntil(async () => {
      const e = await cluster.endpoints().find('web');
      return e?.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
    });
    expect(ep?.subsets?.[0]?.addresses).toBeUndefined();
    const all = await cluster.advanceUntil(async () => (await cluster.endpoints().find('all'))?.subsets?.[0]?.addresses);
    expect(all).toHaveLength(1);
    const slice = (await slicesOf(m, 'web'))[0] as EndpointSlice;
    expect(slice.endpoints[0]?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('leave a selector-less Service alone, and give headless pods with hostname/subdomain their hostname', async () => {
    await using m = await startMockCluster({ nodes: 1 });
    const { cluster } = m;
    await cluster.services().create({ ...service('manual'), spec: { ports: [{ port: 80 }] } });
    await cluster.services().create(service('db', { clusterIP: 'None' }));
    await cluster.pods().create(pod('db-0', { app: 'web' }, { hostname: 'db-0', subdomain: 'db' }));
    const slices = await cluster.advanceUntil(async () => {
      const s = await slicesOf(m, 'db');
      return s[0]?.endpoints.length === 1 ? s : undefined;
    });
    expect(slices?.[0]?.endpoints[0]?.hostname).toBe('db-0');
    expect(slices?.[0]?.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    expect((await cluster.endpoints().get('db')).subsets?.[0]?.addresses?.[0]?.hostname).toBe('db-0');
    expect(await cluster.endpoints().find('manual')).toBeUndefined();
    expect(await slicesOf(m, 'manual')).toHaveLength(0);
  });
});

describe('serviceEndpoints (pure)', () => {
  const ready = (p: Pod, ip: string, extra: Partial<Pod['metadata']> = {}): Pod => ({
    ...p,
    metadata: { ...p.metadata, ...extra },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  it('keeps terminating pods as serving, not ready, only when asked; skips finished pods and pods without the named port', () => {
    const svc = service('web');
    const pods = [
      ready(pod('a', { app: 'web' }), '10.0.0.1'),
      ready(pod('b', { app: 'web' }), '10.0.0.2', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      { ...ready(pod('c', { app: 'web' }), '10.0.0.3'), status: { phase: 'Succeeded', podIP: '10.0.0.3' } },
      ready(pod('d', { app: 'web' }, { containers: [{ name: 'x', image: 'i' }] }), '10.0.0.4'),
      pod('e', { app: 'web' }),
    ];
    const withTerminating = serviceEndpoints(svc, pods, true).map((e) => [e.pod.metadata.name, e.ready, e.serving, e.terminating]);
    expect(withTerminating).toEqual([
      ['a', true, true, false],
      ['b', false, true, true],
    ]);
    expect(serviceEndpoints(svc, pods, false).map((e) => e.pod.metadata.name)).toEqual(['a']);
  });
});
