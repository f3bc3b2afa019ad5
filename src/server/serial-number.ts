/**
 * Certificate serial numbers: random, positive, and always the same length, so their DER INTEGER
 * is minimal (RFC 5280 section 4.1.2.2; OpenSSL 3 rejects any other with "asn1 encoding
 * routines::illegal padding").
 */
import { randomBytes } from 'node:crypto';

/** How many octets a serial number has (RFC 5280 allows up to 20). */
export const SERIAL_NUMBER_OCTETS = 16;

/**
 * A random certificate serial number as even-length hex (what node-forge's `serialNumber` takes),
 * {@link SERIAL_NUMBER_OCTETS} octets long with 126 random bits. The first octet is 0x40-0x7f:
 * never zero, so no octet can be stripped or be padding, and its top bit is clear, so the integer
 * is positive with no leading 0x00.
 *
 * @param random - the random source, given a size in bytes (injectable for tests).
 * @default random node:crypto's randomBytes
 */
export function certificateSerialNumber(random: (size: number) => Uint8Array = randomBytes): string {
  const octets = Uint8Array.from(random(SERIAL_NUMBER_OCTETS).subarray(0, SERIAL_NUMBER_OCTETS));
  if (octets.length !== SERIAL_NUMBER_OCTETS) {
    throw new RangeError(`certificateSerialNumber: random gave ${octets.length} bytes, not ${SERIAL_NUMBER_OCTETS}`);
  }
  octets[0] = 0x40 | (octets[0] & 0x3f);
  return Buffer.from(octets).toString('hex');
}
