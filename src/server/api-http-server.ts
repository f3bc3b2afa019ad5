/**
 * The Kubernetes REST API over HTTP(S): node:http(s) with find-my-way for routing. It
 * authenticates each request (bearer token or client certificate), authorizes it, and serves
 * discovery, OpenAPI, the resources of every served kind (built-in and CRD) and their
 * subresources through the client contract.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import FindMyWay from 'find-my-way';
import type { PrinterColumn, ResourceType } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import type { ServeOptions, ServedApi, ServerBackend, TokenUser, UserInfo } from './types.js';
import { createServerCertificates, type ServerCertificates } from './certificates.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { HttpError, sendError, sendJson } from './http-status.js';
import { Authenticator, unauthorized } from './authentication.js';
import { allowAll, forbiddenMessage, type Authorizer, type RequestAttributes } from './authorizer.js';
import {
  AGGREGATED_DISCOVERY_TYPE,
  aggregatedDocument,
  apiGroupListDocument,
  apiVersionsDocument,
  findType,
  groupDocument,
  groupVersions,
  resourceListDocument,
  VIRTUAL_RESOURCES,
  wantsAggregatedDiscovery,
} from './discovery.js';
import { verbOf, type RequestScope, type ResourceRequest } from './request-scope.js';
import { handleResource, type ResourceHandlerOptions } from './resource-handler.js';
import { mediaType, parseBody, readBody } from './request-body.js';
import { review } from './access-review.js';
import { openApiV2, openApiV3Document, openApiV3Index } from './openapi.js';
import { handlePodLog } from './pod-log.js';
import { PodStreams } from './pod-streams.js';

/** The version /version reports: Kubernetes 1.30 semantics. */
export const SERVER_VERSION = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.0-tugboat',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '1970-01-01T00:00:00Z',
  goVersion: 'none',
  compiler: 'tugboat',
  platform: `${process.platform}/${process.arch}`,
};

type Params = Record<string, string | undefined>;
type Handler = (scope: RequestScope, params: Params) => Promise<void> | void;

/** Options with their defaults filled. */
type Resolved = Required<Omit<ServeOptions, 'tls' | 'tokens' | 'adminToken' | 'certificateAuthority' | 'altNames' | 'advertiseAddress'>>;

/** An API server bound to one backend; `start()` listens. */
export class ApiHttpServer {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  private readonly handlers = new Map<string, Handler>();
  private readonly authenticator: Authenticator;
  private readonly adminToken: string;
  private readonly options: Resolved;
  private readonly watches = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly resourceOptions: ResourceHandlerOptions;
  private readonly streams: PodStreams;
  private certificates: ServerCertificates | undefined;
  private server: http.Server | undefined;
  /** The listeners of `extraAddresses`: their connections are handed to `server`. */
  private extraListeners: net.Server[] = [];

  constructor(
    private readonly backend: ServerBackend,
    private readonly serveOptions: ServeOptions = {},
    private readonly authorizer: Authorizer = allowAll,
  ) {
    this.adminToken = serveOptions.adminToken ?? randomBytes(24).toString('base64url');
    this.authenticator = new Authenticator(this.adminToken, serveOptions.tokens ?? [], backend.serviceAccountTokens);
    this.options = {
      host: serveOptions.host ?? '127.0.0.1',
      port: serveOptions.port ?? 0,
      extraAddresses: [...new Set(serveOptions.extraAddresses ?? [])].filter((a) => a !== (serveOptions.host ?? '127.0.0.1')),
      maxBodyBytes: serveOptions.maxBodyBytes ?? 3 * 1024 * 1024,
      maxWatchesPerClient: serveOptions.maxWatchesPerClient ?? 100,
      maxWatchBacklog: serveOptions.maxWatchBacklog ?? 1000,
      bookmarkIntervalMs: serveOptions.bookmarkIntervalMs ?? 60_000,
      clusterName: serveOptions.clusterName ?? 'tugboat',
    };
    this.resourceOptions = {
      context: backend.context,
      maxBodyBytes: this.options.maxBodyBytes,
      maxWatchBacklog: this.options.maxWatchBacklog,
      bookmarkIntervalMs: this.options.bookmarkIntervalMs,
      printerColumns: (type) => this.printerColumns(type),
    };
    this.streams = new PodStreams(backend, (attrs) => this.check(attrs));
    this.routes();
  }

  /** Listens; resolves once the port is bound. */
  async start(): Promise<ServedApi> {
    const tls = this.serveOptions.tls ?? true;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    if (tls) {
      const files = tls === true ? undefined : tls;
      this.certificates = files
        ? undefined
        : createServerCertificates(
            [this.options.host, ...this.options.extraAddresses, ...(this.serveOptions.altNames ?? [])],
            this.options.clusterName,
            this.serveOptions.certificateAuthority,
          );
      const cert = files?.cert ?? this.certificates!.serving.cert;
      const key = files?.key ?? this.certificates!.serving.key;
      const ca = files?.ca ?? this.certificates!.ca;
      this.server = https.createServer({ cert, key, ca, requestCert: true, rejectUnauthorized: false }, handler);
    } else {
      this.server = http.createServer(handler);
    }
    const server = this.server;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => void this.streams.upgrade(req, socket as Socket, head, (r) => this.authenticate(r)));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    try {
      // A wildcard host listens on them already.
      const wildcard = this.options.host === '0.0.0.0' || this.options.host === '::';
      for (const address of wildcard ? [] : this.options.extraAddresses) this.extraListeners.push(await listenInto(server, address, port));
    } catch (err) {
      await this.close();
      throw err;
    }
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
    const ca = tls === true ? this.certificates!.ca : tls ? tls.ca : undefined;
    const clusterName = this.options.clusterName;
    const kubeconfigFor = (user: string | TokenUser, groups: string[] = []): string => {
      if (typeof user !== 'string')
        return kubeconfigYaml({ server: url, ca, clusterName, user: user.user, credentials: { token: user.token } });
      const known = (this.serveOptions.tokens ?? []).find((t) => t.user === user);
      if (known) return kubeconfigYaml({ server: url, ca, clusterName, user, credentials: { token: known.token } });
      if (!this.certificates)
        throw TugboatError.badRequest(`user "${user}" has no token, and client certificates need the generated CA (tls: true)`);
      return kubeconfigYaml({ server: url, ca, clusterName, user, credentials: this.certificates.issueClient(user, groups) });
    };
    return {
      url,
      token: this.adminToken,
      kubeconfig: kubeconfigYaml({ server: url, ca, clusterName, user: 'admin', credentials: { token: this.adminToken } }),
      ca,
      kubeconfigFor,
      close: () => this.close(),
    };
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.streams.closeAll();
    const extra = this.extraListeners.splice(0).map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await Promise.all([closed, ...extra]);
  }

  private async authenticate(req: http.IncomingMessage): Promise<UserInfo> {
    const user = await this.authenticator.authenticate(req);
    if (!user) throw unauthorized();
    return user;
  }

  /**
   * Impersonate-User and Impersonate-Group (`kubectl --as`): allowed when the caller may
   * `impersonate` the users and groups named, as in Kubernetes.
   */
  private async impersonate(req: http.IncomingMessage, user: UserInfo): Promise<UserInfo> {
    const name = req.headers['impersonate-user'];
    if (typeof name !== 'string' || !name) return user;
    const raw = req.headers['impersonate-group'];
    const groups = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((g) => g.split(',').map((x) => x.trim())).filter(Boolean);
    await this.check({ user, verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'users', name });
    for (const g of groups)
      await this.check({ user, verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'groups', name: g });
    return { name, groups: [...new Set([...groups, 'system:authenticated'])] };
  }

  private async check(attrs: RequestAttributes): Promise<void> {
    const decision = await this.authorizer.authorize(attrs);
    if (!decision.allowed) {
      throw new HttpError(403, 'Forbidden', forbiddenMessage(attrs, decision.reason), {
        ...(attrs.name ? { name: attrs.name } : {}),
        ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}),
        ...(attrs.resource ? { kind: attrs.resource } : {}),
      });
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://tugboat');
      const path = url.pathname;
      const query = url.searchParams;
      if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path) || path === '/version') {
        // Public, as system:public-info-viewer makes them in Kubernetes.
        if (path === '/version') return sendJson(res, 200, SERVER_VERSION);
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      }
      const user = await this.impersonate(req, await this.authenticate(req));
      const found = this.router.find(req.method as FindMyWay.HTTPMethod, path);
      if (!found) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
      const key = (found.handler as unknown as { key: string }).key;
      await this.handlers.get(key)!({ req, res, user, query }, found.params as Params);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err);
    }
  }

  private route(methods: FindMyWay.HTTPMethod[], path: string, handler: Handler): void {
    const key = `${methods.join(',')} ${path}`;
    this.handlers.set(key, handler);
    const marker = Object.assign(() => undefined, { key });
    for (const m of methods) this.router.on(m, path, marker);
  }

  private routes(): void {
    const get: FindMyWay.HTTPMethod[] = ['GET', 'HEAD'];
    const all: FindMyWay.HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const types = () => this.backend.registry.all();
    const nonResource =
      (handler: Handler): Handler =>
      async (scope, params) => {
        await this.check({ user: scope.user, verb: 'get', resourceRequest: false, path: scope.req.url?.split('?')[0] });
        return handler(scope, params);
      };
    this.route(
      get,
      '/api',
      nonResource(async ({ req, res }) => {
        if (wantsAggregatedDiscovery(req.headers.accept))
          return sendJson(res, 200, aggregatedDocument(await this.types(), true), AGGREGATED_DISCOVERY_TYPE);
        sendJson(res, 200, apiVersionsDocument(`${req.socket.localAddress}:${req.socket.localPort}`));
      }),
    );
    this.route(
      get,
      '/apis',
      nonResource(async ({ req, res }) => {
        if (wantsAggregatedDiscovery(req.headers.accept))
          return sendJson(res, 200, aggregatedDocument(await this.types(), false), AGGREGATED_DISCOVERY_TYPE);
        sendJson(res, 200, apiGroupListDocument(await this.types()));
      }),
    );
    this.route(
      get,
      '/api/:version',
      nonResource(async ({ res }, p) => {
        if (p.version !== 'v1') throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
        sendJson(res, 200, resourceListDocument(await this.types(), '', 'v1'));
      }),
    );
    this.route(
      get,
      '/apis/:group',
      nonResource(async ({ res }, p) => {
        const versions = groupVersions(await this.types()).get(p.group!);
        if (!versions || p.group === '') throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
        sendJson(res, 200, groupDocument(p.group!, versions));
      }),
    );
    this.route(
      get,
      '/apis/:group/:version',
      nonResource(async ({ res }, p) => {
        const versions = groupVersions(await this.types()).get(p.group!);
        if (!versions?.includes(p.version!)) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
        sendJson(res, 200, resourceListDocument(await this.types(), p.group!, p.version!));
      }),
    );
    this.route(
      get,
      '/openapi/v2',
      nonResource(async ({ req, res }) => {
        const accept = req.headers.accept ?? '';
        if (accept && !/json|\*\/\*/.test(accept)) throw new HttpError(406, 'NotAcceptable', 'only application/json is served');
        sendJson(res, 200, openApiV2(types()));
      }),
    );
    this.route(
      get,
      '/openapi/v3',
      nonResource(({ res }) => sendJson(res, 200, openApiV3Index(types()))),
    );
    this.route(
      get,
      '/openapi/v3/*',
      nonResource(({ res }, p) => {
        const doc = openApiV3Document(types(), p['*'] ?? '');
        if (!doc) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
        sendJson(res, 200, doc);
      }),
    );
    for (const prefix of ['/api/:version', '/apis/:group/:version']) {
      this.route(all, `${prefix}/:resource`, (s, p) => this.resource(s, p));
      this.route(all, `${prefix}/:resource/:name`, (s, p) => this.resource(s, p));
      this.route(all, `${prefix}/:resource/:name/:subresource`, (s, p) => this.resource(s, p));
      this.route(all, `${prefix}/namespaces/:namespace/:resource`, (s, p) => this.resource(s, p));
      this.route(all, `${prefix}/namespaces/:namespace/:resource/:name`, (s, p) => this.resource(s, p));
      this.route(all, `${prefix}/namespaces/:namespace/:resource/:name/:subresource`, (s, p) => this.resource(s, p));
    }
  }

  /** The kinds served now; CRDs the store has but this process has not seen yet are synced in. */
  private async types(): Promise<ResourceType[]> {
    return this.backend.context.discover();
  }

  private printerColumns(type: ResourceType): readonly PrinterColumn[] | undefined {
    return type.custom?.printerColumns;
  }

  private async resource(scope: RequestScope, p: Params): Promise<void> {
    const group = p.group ?? '';
    const version = p.version!;
    let info: ResourceRequest;
    if (p.namespace !== undefined && group === '' && (p.resource === 'status' || p.resource === 'finalize') && p.name === undefined) {
      // /api/v1/namespaces/NAME/status: a subresource of the Namespace, not a resource in it.
      info = { verb: '', group, version, resource: 'namespaces', name: p.namespace, subresource: p.resource };
    } else {
      info = { verb: '', group, version, resource: p.resource!, namespace: p.namespace, name: p.name, subresource: p.subresource };
    }
    info.verb = verbOf(scope.req.method ?? 'GET', info.name !== undefined, scope.query);
    const attrs: RequestAttributes = {
      user: scope.user,
      verb: info.verb,
      resourceRequest: true,
      apiGroup: group,
      resource: info.resource,
      ...(info.subresource ? { subresource: info.subresource } : {}),
      ...(info.namespace ? { namespace: info.namespace } : {}),
      ...(info.name ? { name: info.name } : {}),
    };
    await this.check(attrs);
    const virtual = VIRTUAL_RESOURCES.find((v) => v.group === group && v.version === version && v.plural === info.resource);
    if (virtual) {
      if (info.verb !== 'create')
        throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const body = parseBody(await readBody(scope.req, this.options.maxBodyBytes), mediaType(scope.req));
      return sendJson(scope.res, 201, await review(virtual.kind, body, scope.user, this.authorizer));
    }
    let type = findType(this.backend.registry.all(), group, version, info.resource);
    if (!type) type = findType(await this.types(), group, version, info.resource);
    if (!type) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    if (info.verb === 'watch') return this.watch(scope, () => handleResource(scope, info, type, this.resourceOptions));
    if (type.kind === 'Pod' && group === '' && info.subresource === 'log') {
      return handlePodLog(scope, info, this.backend);
    }
    if (type.kind === 'Pod' && group === '' && info.subresource && ['exec', 'attach', 'portforward'].includes(info.subresource)) {
      throw new HttpError(400, 'BadRequest', `${info.subresource} needs a WebSocket upgrade (v5.channel.k8s.io)`);
    }
    return handleResource(scope, info, type, this.resourceOptions);
  }

  /** Counts a watch against its client's limit while it runs. */
  private async watch(scope: RequestScope, run: () => Promise<void>): Promise<void> {
    const key = `${scope.user.name}|${scope.req.socket.remoteAddress}`;
    const open = this.watches.get(key) ?? 0;
    if (open >= this.options.maxWatchesPerClient) {
      throw new HttpError(
        429,
        'TooManyRequests',
        `too many open watches for this client (the limit is ${this.options.maxWatchesPerClient})`,
      );
    }
    this.watches.set(key, open + 1);
    try {
      await run();
    } finally {
      const left = (this.watches.get(key) ?? 1) - 1;
      if (left > 0) this.watches.set(key, left);
      else this.watches.delete(key);
    }
  }
}

/** Listens on `address:port` and hands each connection to `server` (which serves it as its own). */
async function listenInto(server: http.Server, address: string, port: number): Promise<net.Server> {
  const listener = net.createServer((socket) => server.emit('connection', socket));
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, address, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  return listener;
}
