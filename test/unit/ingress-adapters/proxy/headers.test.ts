import { describe, expect, it } from 'vitest';
import { forwardedHeaders, responseHeaders } from '../../../../src/ingress-adapters/proxy/headers.js';

const from = { clientAddress: '::ffff:10.0.0.7', secure: false, host: 'a.example.com', port: 8080 };

describe('forwardedHeaders', () => {
  it('keeps end-to-end headers in order, drops hop-by-hop and Connection-listed ones, adds X-Forwarded-*', () => {
    const raw = [
      'Host',
      'a.example.com',
      'Connection',
      'keep-alive, X-Trace',
      'X-Trace',
      '1',
      'TE',
      'trailers',
      'Accept',
      'a',
      'accept',
      'b',
    ];
    expect(forwardedHeaders(raw, from)).toEqual([
      'host',
      'a.example.com',
      'accept',
      'a',
      'accept',
      'b',
      'x-forwarded-for',
      '10.0.0.7',
      'x-forwarded-proto',
      'http',
      'x-forwarded-host',
      'a.example.com',
      'x-forwarded-port',
      '8080',
      'x-real-ip',
      '10.0.0.7',
    ]);
  });

  it("appends to the client's X-Forwarded-For, replaces its other X-Forwarded-* and keeps one Host", () => {
    const raw = [
      'host',
      'a.example.com',
      'host',
      'evil',
      'X-Forwarded-For',
      '1.1.1.1',
      'x-forwarded-for',
      '2.2.2.2',
      'X-Forwarded-Proto',
      'https',
      'X-Real-IP',
      '3.3.3.3',
    ];
    const out = forwardedHeaders(raw, { ...from, secure: true });
    const pairs = Array.from({ length: out.length / 2 }, (_, i) => `${out[2 * i]}: ${out[2 * i + 1]}`);
    expect(pairs).toEqual([
      'host: a.example.com',
      'x-forwarded-for: 1.1.1.1, 2.2.2.2, 10.0.0.7',
      'x-forwarded-proto: https',
      'x-forwarded-host: a.example.com',
      'x-forwarded-port: 8080',
      'x-real-ip: 10.0.0.7',
    ]);
  });
});

describe('responseHeaders', () => {
  it('relays repeated headers byte for byte and drops hop-by-hop and Connection-listed ones', () => {
    const raw = [
      Buffer.from('Content-Type'),
      Buffer.from('text/plain'),
      Buffer.from('Set-Cookie'),
      Buffer.from('a=1'),
      Buffer.from('set-cookie'),
      Buffer.from('b=2'),
      Buffer.from('Keep-Alive'),
      Buffer.from('timeout=5'),
      Buffer.from('Connection'),
      Buffer.from('X-Hop'),
      Buffer.from('X-Hop'),
      Buffer.from('1'),
      Buffer.from('Transfer-Encoding'),
      Buffer.from('chunked'),
      Buffer.from('X-Name'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]), // latin1 "café"
    ];
    const out = responseHeaders(raw);
    expect(out).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2', 'x-name', 'caf\u00e9']);
    expect(Buffer.from(out[7] as string, 'latin1')).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });
});
