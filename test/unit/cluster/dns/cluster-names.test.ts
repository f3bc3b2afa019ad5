import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { resolveClusterName, type ServiceDirectory } from '../../../../src/cluster/dns/cluster-names.js';
import { informerDirectory } from '../../../../src/cluster/dns/informer-directory.js';
import type { EndpointSlice, Service } from '../../../../src/model/types.js';

const svc = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

const slice = (name: string, service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports']): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

describe('cluster DNS names, answered from the store', () => {
  let cluster: Cluster;
  let dir: ServiceDirectory;
  let clusterIP: string;
  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false, nodePortAddress: false });
    const web = await cluster.services().create(svc('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    clusterIP = web.spec?.clusterIP as string;
    await cluster.services().create(svc('nginx', { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }));
    await cluster.services().create(svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
    const slices = cluster.client<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice');
    await slices.create(
      slice(
        'nginx-a',
        'nginx',
        [
          { addresses: ['10.1.0.5'], hostname: 'web-0', conditions: { ready: true } },
          { addresses: ['10.1.0.6'], hostname: 'web-1', conditions: { ready: true } },
          { addresses: ['10.1.0.7'], hostname: 'web-2', conditions: { ready: false } },
          { addresses: ['10.1.0.8'], conditions: {} },
        ],
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
      ),
    );
    dir = await informerDirectory(cluster.informers);
    await cluster.settled();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  const a = (name: string, type = 'A') => resolveClusterName(dir, name, type);

  it('answers a Service name with its clusterIP, case-insensitively, with or without the trailing dot', () => {
    expect(clusterIP).toMatch(/^10\./);
    for (const n of ['web.default.svc.cluster.local', 'WEB.Default.svc.cluster.local.']) {
      const r = a(n);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answers.map((x) => x.data)).toEqual([clusterIP]);
    }
  });

  it('answers a headless Service with its Ready endpoints only, and each by hostname', () => {
    expect(
      a('nginx.default.svc.cluster.local')
        .answers.map((x) => x.data)
        .sort(),
    ).toEqual(['10.1.0.5', '10.1.0.6', '10.1.0.8']);
    expect(a('web-0.nginx.default.svc.cluster.local').answers.map((x) => x.data)).toEqual(['10.1.0.5']);
    expect(a('10-1-0-8.nginx.default.svc.cluster.local').answers.map((x) => x.data)).toEqual(['10.1.0.8']);
    expect(a('web-2.nginx.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(a('web-0.web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('answers SRV for a named port: the Service name for a clusterIP, each endpoint for a headless one', () => {
    const r = a('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(r.answers).toEqual([
      {
        type: 'SRV',
        name: '_http._tcp.web.default.svc.cluster.local',
        ttl: 5,
        data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
      },
    ]);
    const h = a('_http._tcp.nginx.default.svc.cluster.local', 'SRV');
    expect(h.answers.map((x) => (x.data as { target: string; port: number }).target).sort()).toEqual([
      '10-1-0-8.nginx.default.svc.cluster.local',
      'web-0.nginx.default.svc.cluster.local',
      'web-1.nginx.default.svc.cluster.local',
    ]);
    expect(h.answers.every((x) => (x.data as { port: number }).port === 8080)).toBe(true);
    expect(h.additionals.map((x) => x.data).sort()).toEqual(['10.1.0.5', '10.1.0.6', '10.1.0.8']);
    expect(a('_https._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    expect(a('_http._udp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('gives NXDOMAIN for unknown names under the domain and NOERROR without records for other types', () => {
    for (const n of [
      'nope.default.svc.cluster.local',
      'web.other.svc.cluster.local',
      'web.default.cluster.local',
      'x.y.z.w.v.default.svc.cluster.local',
    ]) {
      expect(a(n).rcode, n).toBe('NXDOMAIN');
    }
    const aaaa = a('web.default.svc.cluster.local', 'AAAA');
    expect(aaaa).toEqual({ rcode: 'NOERROR', answers: [], additionals: [] });
    expect(a('default.svc.cluster.local').rcode).toBe('NOERROR');
    expect(a('other.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('answers an ExternalName with a CNAME and pod names with their dashed IP', () => {
    expect(a('ext.default.svc.cluster.local').answers).toEqual([
      { type: 'CNAME', name: 'ext.default.svc.cluster.local', ttl: 5, data: 'example.com' },
    ]);
    expect(a('10-1-0-9.default.pod.cluster.local').answers.map((x) => x.data)).toEqual(['10.1.0.9']);
    expect(a('10-1-0-999.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('follows the store: a new Service resolves and a deleted one is gone', async () => {
    await cluster.services().create(svc('late', { ports: [{ port: 81 }] }));
    await cluster.settled();
    expect(a('late.default.svc.cluster.local').answers).toHaveLength(1);
    await cluster.services().delete('late');
    await cluster.settled();
    expect(a('late.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });
});
