import { describe, expect, it } from 'vitest';
import { chainRules, vipChainName } from '../../../../src/cluster/vips/iptables.js';
import { sandboxDnsHostConfig } from '../../../../src/runtime-adapters/docker/sandbox.js';

describe('Service VIP rules (pure parts)', () => {
  it('names a chain per network, within iptables limits', () => {
    const a = vipChainName('1f0e3d');
    expect(a).toMatch(/^TUGBOAT-[0-9A-F]{16}$/);
    expect(a.length).toBeLessThanOrEqual(28);
    expect(vipChainName('1f0e3d')).toBe(a);
    expect(vipChainName('2f0e3d')).not.toBe(a);
  });

  it('rewrites the whole chain, and only it, in one iptables-restore', () => {
    expect(chainRules('TUGBOAT-X', [{ clusterIP: '10.96.0.10', port: 80, protocol: 'tcp', toPort: 41234 }])).toBe(
      '*nat\n:TUGBOAT-X - [0:0]\n-A TUGBOAT-X -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 41234\nCOMMIT\n',
    );
    expect(chainRules('TUGBOAT-X', [])).toBe('*nat\n:TUGBOAT-X - [0:0]\nCOMMIT\n');
  });
});

describe("a Docker sandbox's DNS settings", () => {
  it('puts the cluster server first for ClusterFirst, and leaves out what is empty', () => {
    const dns = { clusterDNS: true, nameservers: ['1.1.1.1'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] };
    expect(sandboxDnsHostConfig(dns, '172.20.0.1')).toEqual({
      Dns: ['172.20.0.1', '1.1.1.1'],
      DnsSearch: ['default.svc.cluster.local'],
      DnsOptions: ['ndots:5'],
    });
    expect(sandboxDnsHostConfig({ clusterDNS: true, nameservers: [], searches: [], options: [] }, undefined)).toEqual({});
    expect(sandboxDnsHostConfig({ ...dns, clusterDNS: false }, '172.20.0.1').Dns).toEqual(['1.1.1.1']);
  });
});
