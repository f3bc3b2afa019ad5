import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createServerCertificates } from '../../../src/server/certificates.js';

describe('createServerCertificates', () => {
  const made = createServerCertificates(['10.1.2.3', 'node-a.example'], 'certs-test');
  const ca = new X509Certificate(made.ca);
  const serving = new X509Certificate(made.serving.cert);
  const client = made.issueClient('alice', ['dev', 'ops']);
  const clientCert = new X509Certificate(client.cert);

  it('makes a CA, a serving and a client certificate that OpenSSL loads with their keys', () => {
    for (const pair of [made.authority, made.serving, client]) {
      const cert = new X509Certificate(pair.cert);
      expect(cert.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
      expect(() => createSecureContext({ key: pair.key, cert: pair.cert, ca: made.ca })).not.toThrow();
      // 16 octets, the first 0x40-0x7f: a minimal positive DER INTEGER.
      expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    }
  });

  it('signs the serving and client certificates with the CA', () => {
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=certs-test-ca');
    expect(serving.ca).toBe(false);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(clientCert.checkIssued(ca)).toBe(true);
    expect(clientCert.verify(ca.publicKey)).toBe(true);
  });

  it('serves the loopback names and the given hosts; the client certificate names the user and groups', () => {
    expect(serving.subject).toBe('CN=certs-test-apiserver');
    expect(serving.subjectAltName?.split(', ').sort()).toEqual(
      ['DNS:localhost', 'DNS:node-a.example', 'IP Address:10.1.2.3', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'].sort(),
    );
    expect(serving.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(serving.checkHost('node-a.example')).toBe('node-a.example');
    expect(serving.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(clientCert.subject.split('\n')).toEqual(['CN=alice', 'O=dev', 'O=ops']);
    expect(clientCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });
});
