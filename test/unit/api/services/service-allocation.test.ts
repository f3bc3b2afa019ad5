import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../../src/store/memory-store.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { rejection } from '../../../support/rejection.js';
import type { Service } from '../../../../src/model/types.js';

const svc = (name: string, spec: Partial<NonNullable<Service['spec']>> = {}, namespace = 'default'): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

const start = (options: Parameters<typeof Cluster.start>[0] = {}) => Cluster.start({ controllers: false, scheduler: false, ...options });

describe('Service allocation in the API write path', () => {
  it('gives ClusterIP, NodePort and LoadBalancer Services a clusterIP from the service CIDR, None to headless ones', async () => {
    await using cluster = await start();
    const a = await cluster.services().create(svc('a'));
    expect(a.spec?.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(a.spec?.clusterIPs).toEqual([a.spec?.clusterIP]);
    expect(a.spec?.ipFamilies).toEqual(['IPv4']);
    const np = await cluster.services().create(svc('np', { type: 'NodePort' }));
    expect(np.spec?.clusterIP).not.toBe(a.spec?.clusterIP);
    const lb = await cluster.services().create(svc('lb', { type: 'LoadBalancer' }));
    expect(lb.spec?.clusterIP).toBeTruthy();
    const headless = await cluster.services().create(svc('h', { clusterIP: 'None' }));
    expect(headless.spec?.clusterIPs).toEqual(['None']);
    const ext = await cluster.services().create(svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [] }));
    expect(ext.spec?.clusterIP).toBeUndefined();
  });

  it('uses a given serviceCIDR and honours a requested IP; rejects a taken or out-of-range one naming spec.clusterIP', async () => {
    await using cluster = await start({ serviceCIDR: '10.0.0.0/24' });
    const a = await cluster.services().create(svc('a', { clusterIP: '10.0.0.10' }));
    expect(a.spec?.clusterIP).toBe('10.0.0.10');
    const b = await cluster.services().create(svc('b'));
    expect(b.spec?.clusterIP).toMatch(/^10\.0\.0\./);
    const taken = await rejection(cluster.services('kube-system').create(svc('c', { clusterIP: '10.0.0.10' }, 'kube-system')));
    expect(taken.reason).toBe('Invalid');
    expect(taken.status.details?.causes?.[0]?.field).toBe('spec.clusterIP');
    expect(taken.message).toMatch(/provided IP is already allocated/);
    const out = await rejection(cluster.services().create(svc('d', { clusterIP: '10.96.0.10' })));
    expect(out.status.details?.causes?.[0]?.field).toBe('spec.clusterIP');
    expect(out.message).toMatch(/not in the valid range. The range of valid IPs is 10.0.0.0\/24/);
    expect(await cluster.services().find('d')).toBeUndefined();
    expect(await cluster.services('kube-system').find('c')).toBeUndefined();
  });

  it('releases the IP and node ports on delete', async () => {
    await using cluster = await start();
    await cluster.services().create(svc('a', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, nodePort: 30080 }] }));
    expect((await rejection(cluster.services().create(svc('b', { clusterIP: '10.96.5.5' })))).reason).toBe('Invalid');
    await cluster.services().delete('a');
    const b = await cluster
      .services()
      .create(svc('b', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(b.spec?.clusterIP).toBe('10.96.5.5');
    expect(b.spec?.ports?.[0]?.nodePort).toBe(30080);
  });

  it('allocates node ports in 30000-32767, shares one across protocols of a port, rejects a taken or out-of-range one', async () => {
    await using cluster = await start();
    const a = await cluster.services().create(
      svc('a', {
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80 },
          { name: 'dns', port: 53, protocol: 'TCP' },
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
        ],
      }),
    );
    const [http, dns, dnsUdp] = (a.spec?.ports ?? []).map((p) => p.nodePort ?? 0);
    for (const p of [http, dns]) expect(p).toBeGreaterThanOrEqual(30000), expect(p).toBeLessThanOrEqual(32767);
    expect(http).not.toBe(dns);
    expect(dnsUdp).toBe(dns);
    const taken = await rejection(cluster.services().create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: http }] })));
    expect(taken.status.details?.causes?.[0]?.field).toBe('spec.ports[0].nodePort');
    expect(taken.message).toMatch(/provided port is already allocated/);
    const out = await rejection(cluster.services().create(svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] })));
    expect(out.message).toMatch(/The range of valid ports is 30000-32767/);
  });

  it('keeps the clusterIP and node ports on an update that leaves them out, and clusterIP is immutable', async () => {
    await using cluster = await start();
    const a = await cluster.services().create(svc('a', { type: 'NodePort' }));
    const updated = await cluster
      .services()
      .update({ ...svc('a', { type: 'NodePort', selector: { app: 'other' } }), metadata: a.metadata });
    expect(updated.spec?.clusterIP).toBe(a.spec?.clusterIP);
    expect(updated.spec?.ports?.[0]?.nodePort).toBe(a.spec?.ports?.[0]?.nodePort);
    const applied = await cluster.apply(svc('a', { type: 'NodePort', selector: { app: 'x' } }));
    expect((applied[0] as Service).spec?.clusterIP).toBe(a.spec?.clusterIP);
    const changed = await rejection(cluster.services().patch('a', { spec: { clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'] } }));
    expect(changed.status.details?.causes?.[0]?.field).toBe('spec.clusterIP');
    // NodePort -> ClusterIP drops the node ports the user did not change.
    const back = await cluster.services().patch('a', { spec: { type: 'ClusterIP' } });
    expect(back.spec?.ports?.[0]?.nodePort).toBeUndefined();
  });

  it('rebuilds its state from the store: a second cluster on the same store does not hand out a taken IP', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    {
      await using first = await start({ store, clock, serviceCIDR: '10.0.0.0/29' });
      for (const n of ['a', 'b', 'c', 'd', 'e']) await first.services().create(svc(n));
    }
    await using second = await start({ store, clock, serviceCIDR: '10.0.0.0/29' });
    const f = await second.services().create(svc('f'));
    const all = (await second.services().list()).items.map((s) => s.spec?.clusterIP);
    expect(new Set(all).size).toBe(6);
    expect(f.spec?.clusterIP).toMatch(/^10\.0\.0\.[1-6]$/);
    const full = await rejection(second.services().create(svc('g')));
    expect(full.message).toMatch(/range is full/);
  });

  it('never gives two concurrent creates the same IP', async () => {
    await using cluster = await start({ serviceCIDR: '10.0.0.0/28' });
    const made = await Promise.all(Array.from({ length: 14 }, (_, i) => cluster.services().create(svc(`s${i}`))));
    expect(new Set(made.map((s) => s.spec?.clusterIP)).size).toBe(14);
  });

  it('refuses a bad serviceCIDR at start', async () => {
    await expect(start({ serviceCIDR: '10.0.0.0' })).rejects.toThrow(/serviceCIDR/);
  });
});
