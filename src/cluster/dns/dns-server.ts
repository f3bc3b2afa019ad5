/**
 * A cluster's DNS server over UDP (dns-packet for the wire format): names under the cluster
 * domain are answered from the cluster's Services and EndpointSlices (cluster-names.ts); any
 * other name is forwarded to the host's resolvers (`dns.getServers()`, read from
 * /etc/resolv.conf), or answered SERVFAIL when there is none or none replies in time.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { getServers } from 'node:dns';
import * as packet from 'dns-packet';
import { type ClusterAnswer, type DnsRecord, inClusterDomain, resolveClusterName, type ServiceDirectory } from './cluster-names.js';

/** Options of a {@link ClusterDnsServer}. */
export interface ClusterDnsServerOptions {
  /** The address to bind. */
  address: string;
  /** The UDP port. @default 53 */
  port?: number;
  /** The cluster domain. @default 'cluster.local' */
  domain?: string;
  /** Resolvers other names go to (`host` or `host:port`). @default the host's, from `dns.getServers()` */
  upstreams?: readonly string[];
  /** How long a forwarded query may take, in ms. @default 2000 */
  forwardTimeoutMs?: number;
}

function toAnswer(r: DnsRecord): packet.Answer {
  return { type: r.type, name: r.name, ttl: r.ttl, class: 'IN', data: r.data } as packet.Answer;
}

/** DNS response codes (RFC 1035 4.1.1): dns-packet reads them from the flags' low bits only. */
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

function parseUpstream(s: string): { host: string; port: number } {
  const m = /^\[(.+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  return m ? { host: m[1] as string, port: Number(m[2]) } : { host: s, port: 53 };
}

/** A running cluster DNS server (see the file comment). @internal */
export class ClusterDnsServer {
  private socket?: Socket;
  private readonly domain: string;
  private readonly upstreams: Array<{ host: string; port: number }>;

  constructor(
    private readonly directory: ServiceDirectory,
    private readonly options: ClusterDnsServerOptions,
  ) {
    this.domain = (options.domain ?? 'cluster.local').toLowerCase();
    this.upstreams = (options.upstreams ?? getServers())
      .map(parseUpstream)
      .filter((u) => !(u.host === options.address && u.port === (options.port ?? 53)));
  }

  /** Binds the socket; resolves with the port bound. */
  async start(): Promise<number> {
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => void this.onQuery(msg, from));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port ?? 53, this.options.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {});
    this.socket = socket;
    return socket.address().port;
  }

  /** Answers one query packet. */
  private async onQuery(msg: Buffer, from: RemoteInfo): Promise<void> {
    let query: packet.Packet;
    try {
      query = packet.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q || query.type !== 'query') return;
    const reply = inClusterDomain(q.name, this.domain)
      ? this.answer(query, resolveClusterName(this.directory, q.name, q.type, this.domain))
      : await this.forward(msg, query);
    this.socket?.send(reply, from.port, from.address);
  }

  private answer(query: packet.Packet, a: ClusterAnswer): Buffer {
    return packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & packet.RECURSION_DESIRED) | packet.RECURSION_AVAILABLE | RCODE[a.rcode],
      questions: query.questions,
      answers: a.answers.map(toAnswer),
      additionals: a.additionals.map(toAnswer),
    } as packet.Packet);
  }

  private servfail(query: packet.Packet): Buffer {
    return packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.RECURSION_AVAILABLE | RCODE.SERVFAIL,
      questions: query.questions,
    } as packet.Packet);
  }

  /** Sends the query to each upstream in turn; the first reply is relayed as is. */
  private async forward(msg: Buffer, query: packet.Packet): Promise<Buffer> {
    for (const u of this.upstreams) {
      const reply = await this.ask(msg, u).catch(() => undefined);
      if (reply) return reply;
    }
    return this.servfail(query);
  }

  private ask(msg: Buffer, to: { host: string; port: number }): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const s = createSocket(to.host.includes(':') ? 'udp6' : 'udp4');
      const done = (r: Buffer | undefined): void => {
        clearTimeout(timer);
        s.close();
        resolve(r);
      };
      const timer = setTimeout(() => done(undefined), this.options.forwardTimeoutMs ?? 2000);
      s.on('error', () => done(undefined));
      s.on('message', (r) => done(r));
      s.send(msg, to.port, to.host);
    });
  }

  /** Closes the socket. Idempotent. */
  async stop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
