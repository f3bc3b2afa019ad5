/**
 * The `kubernetes` Service of `default` as kube-apiserver keeps it: published by each serving API
 * server (Service on the service CIDR's first IP, Endpoints and EndpointSlice at the advertised
 * address), reconciled when the port changes, withdrawn at close; the controllers leave it alone.
 */
import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../src/testing/mock-cluster.js';
import type { EndpointSlice, Endpoints, Service } from '../../../src/model/types.js';
import { kubernetesServiceIP, publishKubernetesService, withdrawKubernetesEndpoint } from '../../../src/cluster/kubernetes-service.js';
import { TugboatError } from '../../../src/model/errors.js';

describe('the kubernetes Service', () => {
  it('is on the first IP of the service CIDR', () => {
    expect(kubernetesServiceIP('10.96.0.0/12')).toBe('10.96.0.1');
    expect(kubernetesServiceIP('172.20.8.0/22')).toBe('172.20.8.1');
    expect(() => kubernetesServiceIP('10.96.0.0')).toThrow(/serviceCIDR: "10.96.0.0" is not an IPv4 CIDR/);
  });

  it('is published, reconciled and withdrawn with the endpoints of the serving API servers', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    const services = cluster.client<Service>('v1', 'Service', 'default');
    const endpoints = cluster.client<Endpoints>('v1', 'Endpoints', 'default');
    const slices = cluster.client<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice', 'default');
    expect(await services.find('kubernetes')).toBeUndefined();

    await publishKubernetesService(cluster.context, '10.96.0.1', { address: '172.18.0.1', port: 6443 });
    await cluster.settled();
    const svc = await services.get('kubernetes');
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      sessionAffinity: 'None',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
    });
    expect(svc.spec?.selector).toBeUndefined();
    expect(svc.metadata.managedFields?.map((f) => f.manager)).toEqual(['tugboat-apiserver']);
    expect((await endpoints.get('kubernetes')).subsets).toEqual([
      { addresses: [{ ip: '172.18.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);
    const slice = await slices.get('kubernetes');
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['172.18.0.1'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    });

    // A second server on the same port joins; one on another port is listed in its own subset,
    // takes the Service's targetPort and the EndpointSlice (as the last server started).
    await publishKubernetesService(cluster.context, '10.96.0.1', { address: '172.18.0.2', port: 6443 });
    expect((await endpoints.get('kubernetes')).subsets?.[0]?.addresses).toEqual([{ ip: '172.18.0.2' }, { ip: '172.18.0.1' }]);
    await publishKubernetesService(cluster.context, '10.96.0.1', { address: '127.0.0.1', port: 7000 });
    expect((await services.get('kubernetes')).spec?.ports?.[0]?.targetPort).toBe(7000);
    expect((await endpoints.get('kubernetes')).subsets?.map((s) => s.ports?.[0]?.port)).toEqual([7000, 6443]);
    expect((await slices.get('kubernetes')).endpoints.map((e) => e.addresses[0])).toEqual(['127.0.0.1']);

    // Withdrawn one by one; the last one takes the Endpoints and the EndpointSlice, not the Service.
    await withdrawKubernetesEndpoint(cluster.context, { address: '127.0.0.1', port: 7000 });
    expect((await slices.get('kubernetes')).endpoints.map((e) => e.addresses[0])).toEqual(['172.18.0.2', '172.18.0.1']);
    await withdrawKubernetesEndpoint(cluster.context, { address: '172.18.0.2', port: 6443 });
    await withdrawKubernetesEndpoint(cluster.context, { address: '172.18.0.1', port: 6443 });
    await cluster.settled();
    expect(await endpoints.find('kubernetes')).toBeUndefined();
    expect(await slices.find('kubernetes')).toBeUndefined();
    expect(await services.find('kubernetes')).toBeDefined();
    await withdrawKubernetesEndpoint(cluster.context, { address: '172.18.0.1', port: 6443 });

    // Its IP is taken: a user Service cannot have it.
    await expect(
      services.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'thief' },
        spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] },
      }),
    ).rejects.toSatisfy((e) => TugboatError.is(e, 'Invalid'));
  });
});
