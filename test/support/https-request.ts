/** A small HTTPS client for tests of the served API: trusts the server's CA, sends a token. */
import https from 'node:https';
import type { ServedApi } from '../../src/server/types.js';

/** A response: status code, headers and the body as text (and parsed JSON when it is JSON). */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** Sends one request to the served API. */
export function request(
  api: ServedApi,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; contentType?: string; accept?: string; userAgent?: string } = {},
): Promise<TestResponse> {
  const url = new URL(path, api.url);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: api.ca,
        headers: {
          ...(options.token === null ? {} : { Authorization: `Bearer ${options.token ?? api.token}` }),
          ...(body !== undefined ? { 'Content-Type': options.contentType ?? 'application/json' } : {}),
          ...(options.accept ? { Accept: options.accept } : {}),
          ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
