/**
 * The hash functions behind template hashes and ControllerRevision names: FNV-1 and FNV-1a
 * (32 bits, as Go's hash/fnv) and Kubernetes' rand.SafeEncodeString.
 */

const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

/** A running 32-bit FNV hash; `alternate` selects FNV-1a (xor, then multiply) over FNV-1. */
export class Fnv32 {
  private h = OFFSET;

  constructor(private readonly alternate: boolean) {}

  /** Adds bytes (a string is written as UTF-8). */
  write(data: string | Uint8Array): this {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let h = this.h;
    if (this.alternate) {
      for (const b of bytes) h = Math.imul(h ^ b, PRIME) >>> 0;
    } else {
      for (const b of bytes) h = (Math.imul(h, PRIME) ^ b) >>> 0;
    }
    this.h = h;
    return this;
  }

  /** The hash so far, as an unsigned 32-bit integer (Go's Sum32). */
  sum32(): number {
    return this.h >>> 0;
  }
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Kubernetes' rand.SafeEncodeString: each character mapped into an alphabet without vowels or
 * look-alike digits, so a hash in a name never spells a word.
 */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE[text.charCodeAt(i) % SAFE.length];
  return out;
}
