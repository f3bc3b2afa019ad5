/**
 * Request and response headers across the proxy: hop-by-hop headers dropped, X-Forwarded-* added.
 * Both directions work on flat `[name, value, name, value, ...]` lists, as Node's
 * `req.rawHeaders`, undici's request `headers` and Node's `res.writeHead` take them: no header
 * object is built per request, and repeated headers (Set-Cookie) keep their order.
 */
import { util } from 'undici';

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

/** The lower-case names a Connection header value lists (RFC 9110 7.6.1). */
function addConnectionTokens(value: string, into: Set<string>): void {
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t !== '' && !HOP_BY_HOP.has(t)) into.add(t);
  }
}

/** Drops from a flat list the headers a Connection header named. */
function dropListed(flat: string[], listed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i] as string;
    if (!listed.has(name)) out.push(name, flat[i + 1] as string);
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

/**
 * The request headers sent to the backend, from the client's raw headers: the end-to-end ones
 * (names lower case) plus X-Forwarded-For (appended to the client's), -Proto, -Host, -Port and
 * X-Real-IP.
 */
export function forwardedHeaders(raw: readonly string[], from: ForwardedFrom): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  let prior: string | undefined;
  let host = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection') addConnectionTokens(value, (listed ??= new Set()));
      continue;
    }
    if (name === 'x-forwarded-for') prior = prior === undefined ? value : `${prior}, ${value}`;
    else if (name === 'host') {
      // One Host only (a repeated one is dropped, as Node's req.headers does).
      if (!host) out.push(name, value);
      host = true;
    } else if (name !== 'x-forwarded-proto' && name !== 'x-forwarded-host' && name !== 'x-forwarded-port' && name !== 'x-real-ip')
      out.push(name, value);
  }
  const kept = listed && listed.size > 0 ? dropListed(out, listed) : out;
  let client = from.clientAddress ?? '';
  if (client.startsWith('::ffff:')) client = client.slice(7);
  kept.push('x-forwarded-for', prior === undefined ? client : `${prior}, ${client}`, 'x-forwarded-proto', from.secure ? 'https' : 'http');
  if (from.host) kept.push('x-forwarded-host', from.host);
  kept.push('x-forwarded-port', String(from.port), 'x-real-ip', client);
  return kept;
}

/**
 * The response headers sent to the client, from the backend's raw headers as undici hands them
 * over (Buffers): the end-to-end ones, names lower case, values byte for byte (latin1).
 */
export function responseHeaders(raw: readonly (Buffer | string | (Buffer | string)[])[]): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = util.headerNameToString(raw[i] as Buffer | string);
    const rawValue = raw[i + 1] as Buffer | string | (Buffer | string)[];
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    for (const v of values) {
      const value = typeof v === 'string' ? v : v.toString('latin1');
      if (HOP_BY_HOP.has(name)) {
        if (name === 'connection') addConnectionTokens(value, (listed ??= new Set()));
      } else out.push(name, value);
    }
  }
  return listed && listed.size > 0 ? dropListed(out, listed) : out;
}

/** The value of a header in a flat raw list (case-insensitive), the first when repeated. */
export function rawHeader(raw: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}
