/**
 * The addresses of the local load balancers: one per balancer, from a range (by default
 * `127.0.100.0/24`; Linux routes all of 127.0.0.0/8 to the loopback interface, so no interface
 * needs setting up), as a cloud gives each balancer its own IP.
 *
 * An address is held by a UDP socket bound to it on a fixed reservation port (65535 by default,
 * above Linux's ephemeral range, so no outgoing connection takes it) for as long as the balancer
 * lives. The kernel lets one socket bind there, so two clusters on one machine, in one process or
 * in two, never take the same address, and a process that dies (even SIGKILLed) releases its
 * addresses with its sockets: nothing stale is left behind, unlike a lock file, which needs a
 * pid check (fooled by pid reuse) and a takeover race to recover from a crash. UDP keeps the
 * reservation apart from the balancer's own TCP listeners, whatever ports the Service has.
 */
import dgram from 'node:dgram';
import { TugboatError } from '../../model/errors.js';
import { formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from '../../model/ipv4-cidr.js';

/** The default range of the local load balancers. */
export const DEFAULT_LOAD_BALANCER_RANGE = '127.0.100.0/24';
/** The default UDP port that holds an address (see the module comment). */
export const DEFAULT_RESERVATION_PORT = 65535;

/** An address held for one balancer until `release`. */
export interface AddressLease {
  /** The address held. */
  readonly ip: string;
  /** Gives the address back (idempotent). */
  release(): Promise<void>;
}

/** Thrown when every address of the range is held (by this or another cluster). */
export class AddressRangeExhaustedError extends TugboatError {
  constructor(range: string) {
    super('ServiceUnavailable', `no free address in the load balancer range ${range}`);
  }
}

/** Binds the reservation socket, or resolves undefined when the address is held already. */
function reserve(ip: string, port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      if (err.code === 'EADDRINUSE') resolve(undefined);
      else reject(err);
    });
    socket.bind({ address: ip, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      socket.unref();
      resolve(socket);
    });
  });
}

/** A range of addresses handed out one per balancer, exclusive across the processes of this machine. */
export class AddressPool {
  /** The range, normalised (`127.0.100.0/24`). */
  readonly range: string;
  private readonly cidr: Ipv4Cidr;
  private readonly held = new Map<string, dgram.Socket>();

  /**
   * @param range an IPv4 CIDR (field `loadBalancerRange` in errors)
   * @param reservationPort the UDP port that holds an address
   */
  constructor(
    range: string = DEFAULT_LOAD_BALANCER_RANGE,
    private readonly reservationPort = DEFAULT_RESERVATION_PORT,
  ) {
    const cidr = typeof range === 'string' ? parseCidr(range) : undefined;
    if (!cidr) {
      throw TugboatError.badRequest(
        `loadBalancerRange: Invalid value: ${JSON.stringify(range)}: must be an IPv4 CIDR such as 127.0.100.0/24`,
      );
    }
    if (!Number.isInteger(reservationPort) || reservationPort < 1 || reservationPort > 65535) {
      throw TugboatError.badRequest(`reservationPort: Invalid value: ${reservationPort}: must be a port in 1..65535`);
    }
    this.cidr = cidr;
    this.range = cidr.text;
  }

  /** Whether `ip` lies in the range. */
  contains(ip: string): boolean {
    const n = parseIpv4(ip);
    return n !== undefined && n >= this.cidr.base && n < this.cidr.base + this.cidr.size;
  }

  /** The addresses handed out, in range order: network and broadcast addresses are skipped for prefixes under /31. */
  private *candidates(): Generator<string> {
    const { base, size, prefix } = this.cidr;
    const first = prefix < 31 ? 1 : 0;
    const last = prefix < 31 ? size - 2 : size - 1;
    for (let i = first; i <= last; i++) yield formatIpv4(base + i);
  }

  /**
   * Holds an address: `requested` (a Service's spec.loadBalancerIP) when given, else the first
   * free one. Throws a TugboatError when the requested address is outside the range or held, and
   * {@link AddressRangeExhaustedError} when no address is free.
   */
  async acquire(requested?: string): Promise<AddressLease> {
    if (requested) {
      if (!this.contains(requested)) {
        throw TugboatError.badRequest(
          `spec.loadBalancerIP: Invalid value: ${JSON.stringify(requested)}: not in the load balancer range ${this.range}`,
        );
      }
      const lease = this.held.has(requested) ? undefined : await this.tryHold(requested);
      if (!lease) {
        throw new TugboatError(
          'Conflict',
          `spec.loadBalancerIP: requested ip ${JSON.stringify(requested)} is in use by another load balancer`,
        );
      }
      return lease;
    }
    for (const ip of this.candidates()) {
      if (this.held.has(ip)) continue;
      const lease = await this.tryHold(ip);
      if (lease) return lease;
    }
    throw new AddressRangeExhaustedError(this.range);
  }

  /** The addresses this pool holds now. */
  get inUse(): string[] {
    return [...this.held.keys()];
  }

  /** Releases every address. */
  async close(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private async tryHold(ip: string): Promise<AddressLease | undefined> {
    let socket: dgram.Socket | undefined;
    try {
      socket = await reserve(ip, this.reservationPort);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new TugboatError('ServiceUnavailable', `cannot hold load balancer address ${ip}: ${code ?? String(err)}`);
    }
    if (!socket) return undefined;
    this.held.set(ip, socket);
    let released = false;
    return {
      ip,
      release: async () => {
        if (released) return;
        released = true;
        if (this.held.get(ip) === socket) this.held.delete(ip);
        await new Promise<void>((r) => socket.close(() => r()));
      },
    };
  }
}
