import { Agent, request, type Dispatcher } from 'undici';
import { TugboatError } from '../../model/errors.js';
import type { Status, StatusReason } from '../../model/types.js';
import type { ClusterConnection } from './kubeconfig.js';

/** One request to the API server. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  422: 'Invalid',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The TugboatError a failed response stands for: its Status when the body is one. */
export function errorOfResponse(code: number, body: unknown): TugboatError {
  const s = body as Partial<Status> | undefined;
  if (s && s.kind === 'Status' && typeof s.reason === 'string' && (s.reason as string) !== '') {
    const err = new TugboatError(s.reason as StatusReason, s.message ?? s.reason, s.details);
    if (typeof s.metadata?.continue === 'string' && s.metadata.continue !== '') err.status.metadata = { continue: s.metadata.continue };
    return err;
  }
  const text = typeof body === 'string' ? body : (s?.message ?? JSON.stringify(body));
  return new TugboatError(REASON_BY_CODE[code] ?? 'InternalError', `the server answered ${code}: ${text}`);
}

/**
 * Sends JSON requests to one API server over undici (keep-alive, TLS with the kubeconfig's CA
 * and client certificate, bearer token), and turns failures into TugboatErrors.
 */
export class HttpTransport {
  private readonly dispatcher: Agent;

  /**
   * @param userAgent the User-Agent header of every request (see user-agent.ts); none when
   *   undefined.
   */
  constructor(
    readonly connection: ClusterConnection,
    private readonly userAgent?: string,
  ) {
    this.dispatcher = new Agent({
      connect: {
        ...(connection.ca ? { ca: connection.ca } : {}),
        ...(connection.cert ? { cert: connection.cert, key: connection.key } : {}),
      },
      // Watches stay open: no body timeout.
      bodyTimeout: 0,
    });
  }

  private url(call: HttpCall): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) q.set(k, v);
    const text = q.toString();
    return `${this.connection.server}${call.path}${text ? `?${text}` : ''}`;
  }

  /** Sends the request and returns the raw response (2xx only; failures throw). */
  async open(call: HttpCall): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.userAgent) headers['user-agent'] = this.userAgent;
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    if (call.body !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
    const res = await request(this.url(call), {
      dispatcher: this.dispatcher,
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
    if (res.statusCode >= 300) {
      const text = await res.body.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // a plain-text answer
      }
      throw errorOfResponse(res.statusCode, body);
    }
    return res;
  }

  /** Sends the request and parses the JSON answer. */
  async json<T>(call: HttpCall): Promise<T> {
    const res = await this.open(call);
    return (await res.body.json()) as T;
  }

  /** Closes the kept-alive connections (open watches end). */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }
}
