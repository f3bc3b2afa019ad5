/**
 * The node agent's own HTTPS endpoint (as the kubelet's port 10250): the API server reaches the
 * pods of an agent in another process through it, for pods/log, pods/exec and pods/portforward.
 * Served by `tugboat agent`; its port goes into the Node's status.daemonEndpoints.
 *
 * Authentication: mutual TLS. Only a client certificate signed by the cluster's CA (the API
 * server holds its key) and named {@link KUBELET_CLIENT_USER} is accepted, as the kubelet
 * authenticates kube-apiserver by its --kubelet-client-certificate against --client-ca-file. A
 * client certificate, not a bearer token checked through TokenReview: the agent then needs no
 * call back to the API server per request (a TokenReview would be one more round trip on every
 * log line stream and exec), and nothing but the CA's key holder can make one. The agent serves
 * with a self-signed certificate, which the API server does not verify (kube-apiserver's default
 * without --kubelet-certificate-authority).
 *
 * Paths (the kubelet's, with tugboat's bodies):
 * - `GET /containerLogs/{namespace}/{pod}/{container}?follow=&tailLines=&timestamps=&previous=`:
 *   the lines as NDJSON (`{"stream","line","time"}`), streamed while `follow`.
 * - `GET /exec/{namespace}/{pod}/{container}?command=...&stdin=&tty=` and
 *   `GET /attach/{namespace}/{pod}/{container}?stdin=&tty=`: a WebSocket in the remote-command
 *   channel protocol (`v5.channel.k8s.io`, server/remote-command.ts), as the kubelet's: the
 *   process's stdin, stdout, stderr, terminal size and final Status, interactive.
 * - `GET /portForward/{namespace}/{pod}?port=N` with `Upgrade: tugboat-tcp`: after 101, a raw TCP
 *   connection to the pod's port.
 * Errors are Kubernetes Status bodies.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ApiContext } from '../../client/types.js';
import { TugboatError } from '../../model/errors.js';
import type { Pod } from '../../model/types.js';
import { createServerCertificates } from '../../server/certificates.js';
import { statusOf } from '../../server/http-status.js';
import { REMOTE_COMMAND_PROTOCOLS } from '../../server/remote-command.js';
import { streamSession } from '../../server/remote-command-stream.js';
import { type WebSocket, WebSocketServer } from 'ws';
import type { NodePool } from '../node-pool.js';
import { connectPodPort } from '../port-forward.js';

/** The user (certificate CN) the API server presents to agents, as kubeadm's apiserver-kubelet-client. */
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

/** The Upgrade protocol of a port-forward connection to an agent. */
export const AGENT_TCP_UPGRADE = 'tugboat-tcp';

/** Options of {@link startAgentEndpoint}. */
export interface AgentEndpointOptions {
  /** The agent's pods (logs, exec). */
  pool: NodePool;
  /** The API, to find a pod (port-forward). */
  context: ApiContext;
  /** PEM of the cluster's CA: client certificates must be signed by it. */
  clientCa: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

/** A listening agent endpoint. */
export interface AgentEndpoint {
  readonly host: string;
  readonly port: number;
  /** Stops listening and ends every open stream. */
  close(): Promise<void>;
}

const LOGS = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]*)$/;
const REMOTE_COMMAND = /^\/(exec|attach)\/([^/]+)\/([^/]+)\/([^/]*)$/;
const FORWARD = /^\/portForward\/([^/]+)\/([^/]+)$/;

/** The caller, from its client certificate; Unauthorized unless it is the API server's. */
function authenticate(req: IncomingMessage): void {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) throw new TugboatError('Unauthorized', 'a client certificate signed by the cluster CA is required');
  const cn = socket.getPeerCertificate().subject?.CN;
  if (cn !== KUBELET_CLIENT_USER) throw TugboatError.forbidden(`user "${String(cn)}" may not use the node agent's endpoint`);
}

function sendStatus(res: ServerResponse, err: unknown): void {
  const status = statusOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status.code, { 'Content-Type': 'application/json' }).end(JSON.stringify(status));
}

/** Starts the endpoint; resolves once it listens. */
export async function startAgentEndpoint(options: AgentEndpointOptions): Promise<AgentEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const certs = createServerCertificates([host], 'tugboat-agent');
  const sockets = new Set<Socket>();
  const streams = new Set<AbortController>();
  const sessions = new Set<WebSocket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      authenticate(req);
      const url = new URL(req.url ?? '/', 'https://agent');
      const logs = LOGS.exec(url.pathname);
      if (logs && req.method === 'GET') {
        const [, ns, pod, container] = logs.map(decodeURIComponent) as [string, string, string, string];
        const q = url.searchParams;
        const abort = new AbortController();
        streams.add(abort);
        res.on('close', () => abort.abort());
        try {
          const tail = q.get('tailLines');
          const lines = options.pool.logs(ns, pod, {
            ...(container ? { container } : {}),
            follow: q.get('follow') === 'true',
            timestamps: q.get('timestamps') === 'true',
            previous: q.get('previous') === 'true',
            ...(tail !== null ? { tail: Number(tail) } : {}),
            signal: abort.signal,
          });
          for await (const l of lines) {
            if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
            res.write(`${JSON.stringify({ stream: l.stream, line: l.line, ...(l.time ? { time: l.time.toISOString() } : {}) })}\n`);
          }
          if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
          res.end();
        } finally {
          streams.delete(abort);
        }
        return;
      }
      throw new TugboatError('NotFound', `the node agent serves no ${req.method} ${url.pathname}`);
    } catch (err) {
      sendStatus(res, err);
    }
  };

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => REMOTE_COMMAND_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const upgrade = async (req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> => {
    try {
      authenticate(req);
      const url = new URL(req.url ?? '/', 'https://agent');
      const rc = REMOTE_COMMAND.exec(url.pathname);
      if (rc) {
        const [, verb, ns, pod, container] = rc.map(decodeURIComponent) as [string, string, string, string, string];
        const q = url.searchParams;
        const wanted = { stdin: q.get('stdin') === 'true', tty: q.get('tty') === 'true', ...(container ? { container } : {}) };
        const command = q.getAll('command');
        if (verb === 'exec' && command.length === 0)
          throw TugboatError.badRequest('command: Required value: you must specify at least 1 command');
        const open = () => (verb === 'exec' ? options.pool.execStream(ns, pod, command, wanted) : options.pool.attach(ns, pod, wanted));
        wss.handleUpgrade(req, socket, head, (ws) => {
          sessions.add(ws);
          ws.on('close', () => sessions.delete(ws));
          void streamSession(ws, open);
        });
        return;
      }
      const m = FORWARD.exec(url.pathname);
      if (!m || req.headers.upgrade !== AGENT_TCP_UPGRADE)
        throw new TugboatError('NotFound', `the node agent serves no upgrade ${url.pathname}`);
      const [, ns, pod] = m.map(decodeURIComponent) as [string, string, string];
      const port = Number(url.searchParams.get('port'));
      if (!Number.isInteger(port) || port < 1 || port > 65_535) throw TugboatError.badRequest(`port: Invalid value: must be 1-65535`);
      const target = await connectPodPort(options.context.client<Pod>('v1', 'Pod', ns), pod, port);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${AGENT_TCP_UPGRADE}\r\nConnection: Upgrade\r\n\r\n`);
      socket.pipe(target).pipe(socket);
      const end = () => {
        socket.destroy();
        target.destroy();
      };
      socket.on('error', end).on('close', end);
      target.on('error', end).on('close', end);
    } catch (err) {
      const status = statusOf(err);
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  };

  const server = https.createServer(
    { cert: certs.serving.cert, key: certs.serving.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: false },
    (req, res) => void handle(req, res),
  );
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket as Socket, head));
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    close: async () => {
      for (const a of streams) a.abort();
      for (const ws of sessions) ws.terminate();
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
