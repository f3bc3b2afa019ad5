/**
 * The two ways kubectl 1.32 opens pods/portforward, both carrying SPDY/3 with the
 * `portforward.k8s.io` protocol:
 * - a WebSocket whose subprotocol is `SPDY/3.1+portforward.k8s.io`, each binary message a piece of
 *   the SPDY byte stream (the PortForwardWebsockets tunnel, on by default since 1.31);
 * - a plain HTTP upgrade to `SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io`,
 *   which kubectl falls back to when the WebSocket upgrade is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { TugboatError } from '../model/errors.js';
import { SpdyServerSession } from './spdy/session.js';
import { PORT_FORWARD_PROTOCOL, PortForwardStreams, type PortDialer } from './port-forward-protocol.js';

/** The WebSocket subprotocol of SPDY tunnelled over a WebSocket. */
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
/**
 * What the request's subprotocol header is rewritten to before `ws` reads it: `ws` accepts only
 * RFC 7230 tokens there, and the '/' of the tunnel's name is not a token character. The answer
 * still names {@link SPDY_TUNNEL_PROTOCOL} (what `handleProtocols` returns is sent as it is).
 */
const TUNNEL_TOKEN = 'tugboat-spdy-tunnel';

/** How the client asks to upgrade: 'websocket', 'spdy', or undefined for neither. */
export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') return 'websocket';
  if (upgrade.split(',').some((u) => u.trim() === 'spdy/3.1')) return 'spdy';
  return undefined;
}

function offered(header: string | string[] | undefined): string[] {
  return (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Checks that the client can speak port-forward the way it asked; throws a BadRequest or
 * Forbidden (kube-apiserver's answers) otherwise, before anything is written.
 */
export function checkPortForwardUpgrade(req: IncomingMessage): 'websocket' | 'spdy' {
  const kind = upgradeKind(req);
  if (kind === 'websocket') {
    const protocols = offered(req.headers['sec-websocket-protocol']);
    if (!protocols.includes(SPDY_TUNNEL_PROTOCOL)) {
      throw TugboatError.badRequest(
        `unable to upgrade: port-forward over a WebSocket needs the subprotocol ${SPDY_TUNNEL_PROTOCOL}; offered: ${protocols.join(', ') || 'none'}`,
      );
    }
    return kind;
  }
  if (kind === 'spdy') {
    const versions = offered(req.headers['x-stream-protocol-version']);
    if (versions.length > 0 && !versions.includes(PORT_FORWARD_PROTOCOL)) {
      throw TugboatError.forbidden(
        `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`,
      );
    }
    return kind;
  }
  throw TugboatError.badRequest('Upgrade request required: pods/portforward speaks SPDY/3.1 or a WebSocket');
}

/** Accepts port-forward upgrades and serves their SPDY connections. */
export class PortForwardUpgrades {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(TUNNEL_TOKEN) ? SPDY_TUNNEL_PROTOCOL : false),
  });
  private readonly sessions = new Set<SpdyServerSession>();

  /** Completes an upgrade {@link checkPortForwardUpgrade} accepted; `dial` reaches the pod's ports. */
  accept(req: IncomingMessage, socket: Socket, head: Buffer, pod: { name: string; uid: string }, dial: PortDialer): void {
    const serve = (transport: Duplex) => {
      const forwards = new PortForwardStreams(pod.name, pod.uid, dial);
      const session = new SpdyServerSession(transport, (stream) => forwards.add(stream));
      this.sessions.add(session);
      session.onClose(() => {
        forwards.closeAll();
        this.sessions.delete(session);
      });
    };
    if (upgradeKind(req) === 'websocket') {
      req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
      this.wss.handleUpgrade(req, socket, head, (ws) => serve(createWebSocketStream(ws)));
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
    );
    socket.setNoDelay(true);
    if (head.length > 0) socket.unshift(head);
    serve(socket);
  }

  /** Ends every port-forward connection. */
  closeAll(): void {
    for (const s of this.sessions) s.close();
    for (const ws of this.wss.clients) ws.terminate();
  }
}
