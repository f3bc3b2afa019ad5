/** Request and response headers across the proxy: hop-by-hop headers dropped, X-Forwarded-* added. */
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // undici answers 100-continue itself; the header may not be forwarded.
  'expect',
]);

/** Headers without the hop-by-hop ones (RFC 9110 7.6.1), including those the Connection header lists. */
export function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = new Set<string>();
  const conn = headers.connection;
  for (const v of Array.isArray(conn) ? conn : conn ? [conn] : []) {
    for (const token of v.split(',')) listed.add(token.trim().toLowerCase());
  }
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/** What the proxy knows about the client's request for the X-Forwarded-* headers. */
export interface ForwardedFrom {
  clientAddress: string | undefined;
  secure: boolean;
  host: string | undefined;
  port: number;
}

/** The request headers sent to the backend: end-to-end headers plus X-Forwarded-For/Proto/Host/Port. */
export function forwardedHeaders(headers: IncomingHttpHeaders, from: ForwardedFrom): Record<string, string | string[]> {
  const out = endToEnd(headers);
  const prior = headers['x-forwarded-for'];
  const client = (from.clientAddress ?? '').replace(/^::ffff:/, '');
  out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client;
  out['x-forwarded-proto'] = from.secure ? 'https' : 'http';
  if (from.host) out['x-forwarded-host'] = from.host;
  out['x-forwarded-port'] = String(from.port);
  out['x-real-ip'] = client;
  return out;
}
