/**
 * The server's TLS material, made at start: a CA (or the one kept from an earlier start), a serving certificate for the host names and
 * addresses it listens on, and client certificates issued on demand (their CN is the user name,
 * their O fields the groups, as Kubernetes' x509 authenticator reads them). Keys are made by
 * node:crypto; node-forge builds and signs the certificates.
 */
import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { certificateSerialNumber } from './serial-number.js';

/** A certificate and its key, both PEM. */
export interface CertificatePair {
  cert: string;
  key: string;
}

/** The CA, the serving certificate, and a way to issue client certificates. */
export interface ServerCertificates {
  ca: string;
  /** The CA's certificate and key (what signs the others). */
  authority: CertificatePair;
  serving: CertificatePair;
  /** A client certificate for `user` in `groups`, signed by the CA. */
  issueClient(user: string, groups: string[]): CertificatePair;
}

const DAY_MS = 86_400_000;

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    pem: privateKey,
  };
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Not `0${hex of 15 random bytes}`: forge reads the odd '0' as a 0x00 octet and strips only one,
  // so a first random byte of 0x00 gave a non-minimal INTEGER that OpenSSL refuses (1 in 512).
  cert.serialNumber = certificateSerialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
  return cert;
}

/**
 * Makes a CA (a self-signed certificate for 10 years, an RSA-2048 key): what
 * {@link createServerCertificates} signs with when it is given none. Keep it (`ca` of
 * createServerCertificates) so certificates and kubeconfigs issued before a restart stay trusted.
 */
export function createCertificateAuthority(name = 'tugboat'): CertificatePair {
  const caKeys = keyPair();
  const ca = newCertificate(caKeys.publicKey, 3650);
  const caSubject = [{ name: 'commonName', value: `${name}-ca` }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(ca), key: caKeys.pem };
}

/**
 * Makes a serving certificate valid for `hosts` (names or IP addresses), signed by `authority`
 * (a CA made now when absent), and a way to issue client certificates signed by it.
 */
export function createServerCertificates(hosts: string[], name = 'tugboat', authority?: CertificatePair): ServerCertificates {
  const pair = authority ?? createCertificateAuthority(name);
  const ca = forge.pki.certificateFromPem(pair.cert);
  const caKey = forge.pki.privateKeyFromPem(pair.key);

  const sign = (subject: forge.pki.CertificateField[], extensions: object[]): CertificatePair => {
    const keys = keyPair();
    const cert = newCertificate(keys.publicKey, 365);
    cert.setSubject(subject);
    cert.setIssuer(ca.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ...extensions,
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
  };

  const altNames = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])].map((h) =>
    isIP(h) ? { type: 7, ip: h } : { type: 2, value: h },
  );
  const serving = sign(
    [{ name: 'commonName', value: `${name}-apiserver` }],
    [
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  );

  return {
    ca: pair.cert,
    authority: pair,
    serving,
    issueClient: (user, groups) =>
      sign(
        [{ name: 'commonName', value: user }, ...groups.map((g) => ({ name: 'organizationName', value: g }))],
        [{ name: 'extKeyUsage', clientAuth: true }],
      ),
  };
}
