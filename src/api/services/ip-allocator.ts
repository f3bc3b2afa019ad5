/**
 * The Service IP allocator, as Kubernetes' ipallocator (pkg/registry/core/service/ipallocator):
 * an IPv4 range without its network and broadcast addresses, split into a static lower band (for
 * requested IPs) and a dynamic upper band that automatic allocation tries first. Pure: the taken
 * set is handed in (the admission plugin derives it from the stored Services).
 */
import { TugboatError } from '../../model/errors.js';
import { formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from '../../model/ipv4-cidr.js';

/** Why a requested IP cannot be had, as Kubernetes' allocator errors say. */
export type IpRequestError = 'not-in-range' | 'allocated';

/** A range of Service IPs (the service CIDR). */
export class IpRange {
  readonly cidr: Ipv4Cidr;
  /** The first usable address (the network address + 1). */
  private readonly first: number;
  /** The number of usable addresses. */
  readonly max: number;
  /** How many of the lowest usable addresses form the static band (min(max(16, size/16), 256)). */
  readonly staticBand: number;

  /** @param cidr the service CIDR, e.g. `10.96.0.0/12`; throws on a malformed one or a prefix past /30 */
  constructor(cidr: string) {
    const parsed = parseCidr(cidr);
    if (!parsed) throw TugboatError.badRequest(`serviceCIDR: "${cidr}" is not an IPv4 CIDR (a.b.c.d/n)`);
    if (parsed.prefix > 30) throw TugboatError.badRequest(`serviceCIDR: "${cidr}" is too small: a /30 or larger network is needed`);
    this.cidr = parsed;
    this.first = parsed.base + 1;
    this.max = parsed.size - 2;
    this.staticBand = Math.min(Math.max(16, Math.floor(this.max / 16)), 256, this.max);
  }

  /** The range as text (`10.96.0.0/12`). */
  toString(): string {
    return this.cidr.text;
  }

  /** True when `ip` is a usable address of the range. */
  contains(ip: string): boolean {
    const n = parseIpv4(ip);
    return n !== undefined && n >= this.first && n < this.first + this.max;
  }

  /** Why `ip` cannot be given, or undefined when it can. */
  check(ip: string, taken: ReadonlySet<string>): IpRequestError | undefined {
    if (!this.contains(ip)) return 'not-in-range';
    return taken.has(ip) ? 'allocated' : undefined;
  }

  /**
   * A free address: the dynamic band first (from a random offset, wrapping), then the static band;
   * undefined when the range is full.
   * @param random a number in [0, 1) (Math.random in production)
   */
  next(taken: ReadonlySet<string>, random: () => number): string | undefined {
    const bands: Array<[number, number]> = [
      [this.staticBand, this.max - this.staticBand],
      [0, this.staticBand],
    ];
    for (const [start, length] of bands) {
      if (length <= 0) continue;
      const offset = startOffset(random(), length);
      for (let i = 0; i < length; i++) {
        const ip = formatIpv4(this.first + start + ((offset + i) % length));
        if (!taken.has(ip)) return ip;
      }
    }
    return undefined;
  }
}

/** Where a scan of `length` slots starts for a random number in [0, 1) (0 for anything else). */
function startOffset(r: number, length: number): number {
  return Number.isFinite(r) && r >= 0 && r < 1 ? Math.floor(r * length) : 0;
}
