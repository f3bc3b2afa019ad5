import { describe, expect, it } from 'vitest';
import { podDNS } from '../../../src/node-agent/pod-dns.js';
import type { Pod } from '../../../src/model/types.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>>, namespace = 'shop'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const host = { nameservers: ['192.0.2.53'], searches: ['corp.example'], options: ['timeout:2'] };

describe('podDNS (the kubelet resolv.conf of a pod)', () => {
  it('ClusterFirst: the cluster server, the namespace search path and ndots:5, then the host searches', () => {
    expect(podDNS(pod({ dnsPolicy: 'ClusterFirst' }), 'cluster.local', host)).toEqual({
      clusterDNS: true,
      nameservers: [],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:5'],
    });
    expect(podDNS(pod({}), 'k8s.test')?.searches).toEqual(['shop.svc.k8s.test', 'svc.k8s.test', 'k8s.test']);
  });

  it('ClusterFirst on a hostNetwork pod is Default; ClusterFirstWithHostNet keeps the cluster server', () => {
    expect(podDNS(pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true }), 'cluster.local', host)).toBeUndefined();
    expect(podDNS(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }), 'cluster.local', host)?.clusterDNS).toBe(true);
  });

  it('Default without dnsConfig leaves the runtime default; with one, the host settings merged with it', () => {
    expect(podDNS(pod({ dnsPolicy: 'Default' }), 'cluster.local', host)).toBeUndefined();
    const dnsConfig = {
      nameservers: ['198.51.100.1', '192.0.2.53'],
      searches: ['x.example'],
      options: [{ name: 'timeout', value: '5' }, { name: 'edns0' }],
    };
    expect(podDNS(pod({ dnsPolicy: 'Default', dnsConfig }), 'cluster.local', host)).toEqual({
      clusterDNS: false,
      nameservers: ['192.0.2.53', '198.51.100.1'],
      searches: ['corp.example', 'x.example'],
      options: ['timeout:5', 'edns0'],
    });
  });

  it('None: dnsConfig alone', () => {
    const dnsConfig = { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] };
    expect(podDNS(pod({ dnsPolicy: 'None', dnsConfig }), 'cluster.local', host)).toEqual({
      clusterDNS: false,
      nameservers: ['1.1.1.1'],
      searches: ['a.example'],
      options: ['ndots:2'],
    });
  });

  it('ClusterFirst with dnsConfig: its servers after the cluster one (three in all), its ndots over the default', () => {
    const dnsConfig = { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'], options: [{ name: 'ndots', value: '1' }] };
    const dns = podDNS(pod({ dnsConfig }), 'cluster.local', host);
    expect(dns?.nameservers).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(dns?.options).toEqual(['ndots:1']);
  });
});
