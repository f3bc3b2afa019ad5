/** IPv4 CIDR arithmetic (pure): the Service IP allocator and the local load balancers' address range. */

/** An IPv4 network: its first address and prefix length, as numbers. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  /** The prefix length (0-32). */
  prefix: number;
  /** The number of addresses in the network. */
  size: number;
  /** The CIDR as written, normalised (`10.96.0.0/12`). */
  text: string;
}

const OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

/** The address as an unsigned 32-bit number, or undefined when it is not a dotted IPv4 address. */
export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The dotted form of an unsigned 32-bit address. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses `a.b.c.d/n`; undefined when malformed. The host bits are cleared. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const [ip, bits, extra] = text.split('/');
  if (extra !== undefined || ip === undefined || bits === undefined || !/^[0-9]{1,2}$/.test(bits)) return undefined;
  const addr = parseIpv4(ip);
  const prefix = Number(bits);
  if (addr === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const base = addr - (addr % size);
  return { base, prefix, size, text: `${formatIpv4(base)}/${prefix}` };
}
