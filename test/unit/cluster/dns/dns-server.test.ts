import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDirectory } from '../../../../src/cluster/dns/cluster-names.js';
import { ClusterDnsServer } from '../../../../src/cluster/dns/dns-server.js';
import type { Service } from '../../../../src/model/types.js';

const web: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }] },
};
const dir: ServiceDirectory = {
  service: (ns, name) => (ns === 'default' && name === 'web' ? web : undefined),
  slices: () => [],
  hasNamespace: (ns) => ns === 'default',
};

/** A decoded reply, as dns-packet gives it (its types leave out rcode and the flag booleans). */
interface Reply {
  id?: number;
  rcode: string;
  flag_aa: boolean;
  answers?: Array<{ data: unknown }>;
}

/** Sends one query over UDP and returns the decoded reply. */
function ask(port: number, name: string, type: string, id = 7): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.on('message', (m) => {
      s.close();
      resolve(packet.decode(m) as unknown as Reply);
    });
    s.send(
      packet.encode({ id, type: 'query', flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] } as packet.Packet),
      port,
      '127.0.0.1',
    );
  });
}

describe('ClusterDnsServer over UDP on loopback', () => {
  let upstream: Socket;
  let upstreamPort: number;
  const forwarded: string[] = [];
  let server: ClusterDnsServer;
  let port: number;
  let lonely: ClusterDnsServer;
  let lonelyPort: number;

  beforeAll(async () => {
    // A stand-in for the host's resolver: answers every A question with 192.0.2.1.
    upstream = createSocket('udp4');
    upstream.on('message', (m, from) => {
      const q = packet.decode(m);
      forwarded.push(q.questions?.[0]?.name ?? '');
      const reply = {
        id: q.id,
        type: 'response',
        flags: packet.RECURSION_AVAILABLE,
        questions: q.questions,
        answers: [{ type: 'A', name: q.questions?.[0]?.name, ttl: 60, data: '192.0.2.1' }],
      };
      upstream.send(packet.encode(reply as packet.Packet), from.port, from.address);
    });
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', r));
    upstreamPort = upstream.address().port;
    server = new ClusterDnsServer(dir, { address: '127.0.0.1', port: 0, upstreams: [`127.0.0.1:${upstreamPort}`] });
    port = await server.start();
    lonely = new ClusterDnsServer(dir, { address: '127.0.0.1', port: 0, upstreams: [] });
    lonelyPort = await lonely.start();
  });
  afterAll(async () => {
    await server.stop();
    await lonely.stop();
    upstream.close();
  });

  it('answers a cluster name authoritatively with the same id', async () => {
    const r = await ask(port, 'web.default.svc.cluster.local', 'A', 4242);
    expect(r.id).toBe(4242);
    expect(r.rcode).toBe('NOERROR');
    expect(r.flag_aa).toBe(true);
    expect(r.answers?.map((a) => a.data)).toEqual(['10.96.0.10']);
    expect(forwarded).toEqual([]);
  });

  it('answers SRV records of named ports', async () => {
    const r = await ask(port, '_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(r.answers?.[0]?.data).toEqual({ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' });
  });

  it('answers NXDOMAIN for an unknown cluster name, never forwarding it', async () => {
    const r = await ask(port, 'nope.default.svc.cluster.local', 'A');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.answers).toEqual([]);
    const search = await ask(port, 'web.default.svc.cluster.local.default.svc.cluster.local', 'A');
    expect(search.rcode).toBe('NXDOMAIN');
    expect(forwarded).toEqual([]);
  });

  it('forwards other names to the upstream resolver and relays its reply', async () => {
    const r = await ask(port, 'example.org', 'A', 99);
    expect(r.id).toBe(99);
    expect(r.answers?.map((a) => a.data)).toEqual(['192.0.2.1']);
    expect(forwarded).toEqual(['example.org']);
  });

  it('answers SERVFAIL for other names when there is no upstream, and still answers cluster names', async () => {
    expect((await ask(lonelyPort, 'example.org', 'A')).rcode).toBe('SERVFAIL');
    expect((await ask(lonelyPort, 'web.default.svc.cluster.local', 'A')).answers?.[0]?.data).toBe('10.96.0.10');
  });
});
