/**
 * ProxyIngress: an in-process reverse proxy serving one IngressClass. Node's HTTP and HTTPS
 * servers in front (TLS by SNI), undici's keep-alive pools behind; routes are swapped whole, so
 * requests in flight finish on the routes and connections they started with.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import type { IngressAdapter, IngressAddress, IngressRoutes, RouteEndpoint, RoutePath } from '../types.js';
import { matchRoute, rewritePath } from '../routes/match.js';
import type { Dispatcher } from 'undici';
import { BackendPools } from './backend-pools.js';
import { forwardedHeaders, responseHeaders } from './headers.js';
import { TlsContexts } from './tls-contexts.js';
import { proxyUpgrade } from './websocket.js';

/** Options of {@link ProxyIngress}. */
export interface ProxyIngressOptions {
  /** The IngressClass it serves (its spec.controller must be `tugboat.io/proxy`). */
  className: string;
  /** The address to listen on. @default '127.0.0.1' */
  host?: string;
  /** The plain HTTP port; 0 picks a free one. @default 0 */
  port?: number;
  /** The HTTPS port; 0 picks a free one. @default 0 */
  tlsPort?: number;
}

/** The spec.controller of IngressClasses served by {@link ProxyIngress}. */
export const PROXY_INGRESS_CONTROLLER = 'tugboat.io/proxy';

class BodyTooLarge extends Error {}

const EMPTY_ROUTES: IngressRoutes = { hosts: [], tls: [] };

/**
 * An ingress adapter that proxies in this process: pass it to
 * `Cluster.start({ ingressAdapters: [new ProxyIngress({ className: 'public' })] })`.
 */
export class ProxyIngress implements IngressAdapter {
  /** The IngressClass it serves. */
  readonly className: string;
  /** Always {@link PROXY_INGRESS_CONTROLLER}. */
  readonly controller = PROXY_INGRESS_CONTROLLER;
  private routes: IngressRoutes = EMPTY_ROUTES;
  private readonly pools = new BackendPools();
  private readonly tls = new TlsContexts();
  private http?: Server;
  private https?: Server;
  private address?: IngressAddress;

  constructor(private readonly options: ProxyIngressOptions) {
    if (!options?.className) throw new TypeError('ProxyIngress: className is required');
    this.className = options.className;
  }

  /** Starts both listeners. */
  async start(): Promise<IngressAddress> {
    if (this.address) return this.address;
    const host = this.options.host ?? '127.0.0.1';
    this.http = createHttpServer({ keepAliveTimeout: 60_000 }, (req, res) => this.onRequest(req, res, false));
    this.https = createHttpsServer({ keepAliveTimeout: 60_000, SNICallback: (name, cb) => cb(null, this.tls.forName(name)) }, (req, res) =>
      this.onRequest(req, res, true),
    );
    for (const [server, secure] of [
      [this.http, false],
      [this.https, true],
    ] as const) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head, secure));
      server.on('clientError', (_e, socket: Duplex) => socket.destroy());
    }
    const port = await listen(this.http, host, this.options.port ?? 0);
    const tlsPort = await listen(this.https, host, this.options.tlsPort ?? 0);
    this.address = { ip: host, port, tlsPort };
    return this.address;
  }

  /** Serves these routes from now on; rejects (keeping the old ones) when a certificate does not load. */
  async apply(routes: IngressRoutes): Promise<void> {
    this.tls.set(routes.tls);
    this.routes = routes;
    this.pools.retain(routes);
  }

  /** Stops listening, ends open connections and closes the pools. */
  async stop(): Promise<void> {
    const servers = [this.http, this.https].filter((s): s is Server => !!s);
    this.http = this.https = undefined;
    this.address = undefined;
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    await this.pools.destroy();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse, secure: boolean): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const host = req.headers.host;
    const match = matchRoute(this.routes, host, path);
    if (!match)
      return reply(res, 404, `404 Not Found: no rule of IngressClass "${this.className}" matches host "${host ?? ''}" path "${path}"\n`);
    const { route } = match;
    if (!secure && match.host?.tls && route.options.sslRedirect) {
      res.writeHead(308, {
        location: `https://${(host ?? '').replace(/:\d+$/, '')}:${this.address?.tlsPort}${url}`,
        'content-length': '0',
      });
      return void res.end();
    }
    const max = route.options.maxBodyBytes;
    const contentLength = req.headers['content-length'];
    if (max > 0 && Number(contentLength ?? 0) > max) {
      res.shouldKeepAlive = false;
      return reply(res, 413, `413 Request Entity Too Large: the body is larger than ${max} bytes\n`);
    }
    if (route.backend.endpoints.length === 0)
      return reply(res, 503, `503 Service Unavailable: no ready endpoint for backend ${route.backend.name}\n`);
    const hasBody = contentLength !== undefined ? contentLength !== '0' : req.headers['transfer-encoding'] !== undefined;
    const exchange = new Exchange(this.pools, res, route, {
      path: `${rewritePath(route, path)}${q < 0 ? '' : url.slice(q)}`,
      method: req.method as Dispatcher.HttpMethod,
      headers: forwardedHeaders(req.rawHeaders, { clientAddress: req.socket.remoteAddress, secure, host, port: req.socket.localPort ?? 0 }),
      body: hasBody ? Readable.from(limited(req, max), { objectMode: false }) : undefined,
      headersTimeout: route.options.readTimeoutMs,
      bodyTimeout: route.options.readTimeoutMs,
    });
    exchange.send(this.pools.order(route.backend), 0);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const match = matchRoute(this.routes, req.headers.host, path);
    if (!match) return rawReply(socket, 404, 'no rule matches');
    const { route } = match;
    const ep = this.pools.order(route.backend)[0];
    if (!ep) return rawReply(socket, 503, `no ready endpoint for backend ${route.backend.name}`);
    const headers = forwardedHeaders(req.rawHeaders, {
      clientAddress: req.socket.remoteAddress,
      secure,
      host: req.headers.host,
      port: (req.socket as Socket).localPort ?? 0,
    });
    const target = `${rewritePath(route, path)}${q < 0 ? '' : url.slice(q)}`;
    void proxyUpgrade(this.pools.pool(ep), req, socket as Socket, head, target, headers).catch((e: Error) =>
      rawReply(socket, 502, `backend ${route.backend.name}: ${e.message}`),
    );
  }
}

/**
 * One request through the proxy: undici's dispatch with this object as the handler (the plain
 * handler API: no per-request AsyncResource, stream pipeline or promise, as `stream()` makes),
 * the backend's answer relayed as it comes, paused while the client drains. A bodiless request
 * the backend refused or reset before any answer is tried on the next endpoint.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private endpoints: readonly RouteEndpoint[] = [];
  private index = 0;
  private resumeBackend?: () => void;
  private readonly onDrain = (): void => this.resumeBackend?.();

  constructor(
    private readonly pools: BackendPools,
    private readonly res: ServerResponse,
    private readonly route: RoutePath,
    private readonly options: Dispatcher.DispatchOptions,
  ) {}

  /** Sends to endpoints[index]. */
  send(endpoints: readonly RouteEndpoint[], index: number): void {
    this.endpoints = endpoints;
    this.index = index;
    this.pools.pool(endpoints[index] as RouteEndpoint).dispatch(this.options, this);
  }

  onConnect(): void {}

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // informational (1xx): not relayed, as undici's stream() does
    this.res.writeHead(statusCode, responseHeaders(raw));
    this.resumeBackend = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    this.res.once('drain', this.onDrain);
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(err: Error): void {
    const { res, route } = this;
    if (res.headersSent) return void res.destroy(err);
    if (retryable(err) && this.options.body === undefined && this.index + 1 < this.endpoints.length)
      return this.send(this.endpoints, this.index + 1);
    if (err instanceof BodyTooLarge || (err as { cause?: unknown }).cause instanceof BodyTooLarge) {
      res.shouldKeepAlive = false;
      return reply(res, 413, `413 Request Entity Too Large: the body is larger than ${route.options.maxBodyBytes} bytes\n`);
    }
    const code = (err as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      return reply(
        res,
        504,
        `504 Gateway Timeout: backend ${route.backend.name} did not answer in ${route.options.readTimeoutMs / 1000} s\n`,
      );
    reply(res, 502, `502 Bad Gateway: backend ${route.backend.name}: ${err.message ?? 'failed'}\n`);
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function reply(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function rawReply(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${status} ${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Bad Gateway'}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The request body, failing with BodyTooLarge past `max` bytes (0: no limit). */
async function* limited(req: IncomingMessage, max: number): AsyncIterable<Buffer> {
  let seen = 0;
  for await (const chunk of req) {
    seen += (chunk as Buffer).length;
    if (max > 0 && seen > max) throw new BodyTooLarge('body too large');
    yield chunk as Buffer;
  }
}

function retryable(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'EHOSTUNREACH' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}
