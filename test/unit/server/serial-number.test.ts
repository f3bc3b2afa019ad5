import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { certificateSerialNumber, SERIAL_NUMBER_OCTETS } from '../../../src/server/serial-number.js';

/** The octets forge's DER encoder writes for an INTEGER given as hex (as x509.js encodes serialNumber). */
function derIntegerOctets(hex: string): Buffer {
  const integer = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
  const der = Buffer.from(forge.asn1.toDer(integer).getBytes(), 'binary');
  expect(der[0]).toBe(0x02);
  expect(der[1]).toBe(der.length - 2); // short-form length: serials are far below 128 octets
  return der.subarray(2);
}

/** Minimal DER for a positive INTEGER: no leading 0x00 unless the next octet's top bit is set, and the top bit clear. */
function isMinimalPositive(octets: Buffer): boolean {
  if (octets.length === 0 || (octets[0] & 0x80) !== 0) return false;
  return !(octets.length > 1 && octets[0] === 0x00 && (octets[1] & 0x80) === 0);
}

const keys = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
})();

/** A certificate with `serial`, built and signed by forge as src/server/certificates.ts does, loaded by OpenSSL. */
function loadWithSerial(serial: string): X509Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(0);
  cert.validity.notAfter = new Date(86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'serial-test' }]);
  cert.setIssuer([{ name: 'commonName', value: 'serial-test' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return new X509Certificate(forge.pki.certificateToPem(cert));
}

const fixed = (bytes: number[]) => (size: number) => Uint8Array.from({ length: size }, (_, i) => bytes[i % bytes.length]);

describe('certificateSerialNumber', () => {
  it('gives a serial OpenSSL loads for the random bytes that broke a CI run (a first byte of 0x00)', () => {
    // The CA of a failing run had serial 00 78 EA 4B ...: the old `0${hex(15 bytes)}` with a first
    // random byte of 0x00, one 0x00 stripped by forge, the other left as illegal padding.
    const serial = certificateSerialNumber(fixed([0x00, 0x78, 0xea, 0x4b, 0xa6, 0xe0, 0xcd, 0xf5]));
    expect(loadWithSerial(serial).serialNumber).toBe(serial.toUpperCase());
    expect(isMinimalPositive(derIntegerOctets(serial))).toBe(true);
    expect(serial).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives minimal positive serials at the edges: all zero, all 0xff, a top bit set', () => {
    for (const bytes of [[0x00], [0xff], [0x80, 0x00], [0x00, 0x00, 0x01], [0x7f]]) {
      const serial = certificateSerialNumber(fixed(bytes));
      const octets = derIntegerOctets(serial);
      expect(octets.length, serial).toBe(SERIAL_NUMBER_OCTETS);
      expect(isMinimalPositive(octets), serial).toBe(true);
      expect(loadWithSerial(serial).serialNumber).toBe(serial.toUpperCase());
    }
  });

  it('for any random bytes: 16 octets, minimal positive DER through forge, loaded by OpenSSL', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: SERIAL_NUMBER_OCTETS, maxLength: SERIAL_NUMBER_OCTETS }), (bytes) => {
        const serial = certificateSerialNumber(() => bytes);
        const octets = derIntegerOctets(serial);
        expect(octets.length).toBe(SERIAL_NUMBER_OCTETS);
        expect(isMinimalPositive(octets)).toBe(true);
        // Only the first octet is changed: the rest of the randomness is kept.
        expect(octets.subarray(1)).toEqual(Buffer.from(bytes.subarray(1)));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: SERIAL_NUMBER_OCTETS, maxLength: SERIAL_NUMBER_OCTETS }), (bytes) => {
        const serial = certificateSerialNumber(() => bytes);
        expect(loadWithSerial(serial).serialNumber).toBe(serial.toUpperCase());
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a random source that gives too few bytes', () => {
    expect(() => certificateSerialNumber(() => new Uint8Array(3))).toThrow(RangeError);
  });
});
