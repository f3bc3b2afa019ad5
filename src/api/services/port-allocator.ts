/**
 * The NodePort allocator, as Kubernetes' portallocator (pkg/registry/core/service/portallocator):
 * a port range (30000-32767 by default) whose static lower band (min(max(16, size/32), 128)
 * ports) is for requested ports; automatic allocation tries the upper band first. Pure: the
 * taken set is handed in.
 */

import { TugboatError } from '../../model/errors.js';

/** Why a requested port cannot be had. */
export type PortRequestError = 'not-in-range' | 'allocated';

/** A range of node ports (`--service-node-port-range`). */
export class PortRange {
  readonly base: number;
  readonly size: number;
  /** How many of the lowest ports form the static band. */
  readonly staticBand: number;

  /** @param range `first-last`, e.g. `30000-32767`; throws on a malformed one */
  constructor(range: string) {
    const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(range.trim());
    const first = Number(m?.[1]);
    const last = Number(m?.[2]);
    if (!m || first < 1 || last > 65535 || last < first) {
      throw TugboatError.badRequest(`serviceNodePortRange: "${range}" is not a port range (first-last, within 1-65535)`);
    }
    this.base = first;
    this.size = last - first + 1;
    this.staticBand = Math.min(Math.max(16, Math.floor(this.size / 32)), 128, this.size);
  }

  /** The range as text (`30000-32767`). */
  toString(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  /** True when `port` lies in the range. */
  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.size;
  }

  /** Why `port` cannot be given, or undefined when it can. */
  check(port: number, taken: ReadonlySet<number>): PortRequestError | undefined {
    if (!this.contains(port)) return 'not-in-range';
    return taken.has(port) ? 'allocated' : undefined;
  }

  /** A free port (upper band first, from a random offset), or undefined when the range is full. */
  next(taken: ReadonlySet<number>, random: () => number): number | undefined {
    const bands: Array<[number, number]> = [
      [this.staticBand, this.size - this.staticBand],
      [0, this.staticBand],
    ];
    for (const [start, length] of bands) {
      if (length <= 0) continue;
      const offset = startOffset(random(), length);
      for (let i = 0; i < length; i++) {
        const port = this.base + start + ((offset + i) % length);
        if (!taken.has(port)) return port;
      }
    }
    return undefined;
  }
}

/** Where a scan of `length` slots starts for a random number in [0, 1) (0 for anything else). */
function startOffset(r: number, length: number): number {
  return Number.isFinite(r) && r >= 0 && r < 1 ? Math.floor(r * length) : 0;
}
