/** The certificate for a TLS handshake by its SNI name: an exact host, else a wildcard, else one for any host. */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { TlsCertificate } from '../types.js';
import { hostMatches } from '../routes/match.js';

/** Secure contexts of the current certificates, made once per certificate. */
export class TlsContexts {
  private certs: TlsCertificate[] = [];
  private readonly contexts = new Map<string, SecureContext>();

  /** Replaces the certificates; throws (naming the Secret) when one does not load. */
  set(certs: readonly TlsCertificate[]): void {
    const next = new Map<string, SecureContext>();
    for (const c of certs) {
      const key = `${c.cert}\n${c.key}`;
      const ctx = this.contexts.get(key) ?? next.get(key);
      if (ctx) next.set(key, ctx);
      else {
        try {
          next.set(key, createSecureContext({ cert: c.cert, key: c.key }));
        } catch (e) {
          throw new Error(`secret ${c.secret}: the certificate or key does not load: ${(e as Error).message}`);
        }
      }
    }
    this.contexts.clear();
    for (const [k, v] of next) this.contexts.set(k, v);
    this.certs = [...certs];
  }

  /** The context for an SNI name, if a certificate covers it. */
  forName(servername: string): SecureContext | undefined {
    const name = servername.toLowerCase();
    const pick =
      this.certs.find((c) => c.hosts.includes(name)) ??
      this.certs.find((c) => c.hosts.some((h) => h.startsWith('*.') && hostMatches(h, name))) ??
      this.certs.find((c) => c.hosts.length === 0);
    return pick ? this.contexts.get(`${pick.cert}\n${pick.key}`) : undefined;
  }
}
