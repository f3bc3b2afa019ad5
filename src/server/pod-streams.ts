/**
 * pods/exec and pods/attach over WebSockets, as kubectl 1.32 speaks them (the `v5.channel.k8s.io`
 * subprotocol, and v4 before it: remote-command.ts), interactive: stdin, a TTY and its resizes
 * reach the process as they come (remote-command-stream.ts). pods/portforward speaks SPDY (over a
 * WebSocket or a plain upgrade: port-forward-upgrade.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { TugboatError } from '../model/errors.js';
import type { ServerBackend, UserInfo } from './types.js';
import type { ContainerStreams } from '../streams/types.js';
import { REMOTE_COMMAND_PROTOCOLS, remoteCommandOptions } from './remote-command.js';
import { streamSession } from './remote-command-stream.js';
import type { RequestAttributes } from './authorizer.js';
import { statusOf } from './http-status.js';
import { PortForwardUpgrades, checkPortForwardUpgrade } from './port-forward-upgrade.js';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/** Upgrades pod exec/attach/portforward requests to WebSockets. */
export class PodStreams {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => REMOTE_COMMAND_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly portForwards = new PortForwardUpgrades();

  constructor(
    private readonly backend: ServerBackend,
    private readonly check: (attrs: RequestAttributes) => Promise<void>,
  ) {}

  /** Handles an HTTP upgrade: authenticates, authorizes, and runs the stream. */
  async upgrade(
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    authenticate: (req: IncomingMessage) => Promise<UserInfo>,
  ): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://tugboat');
      const m = PATH.exec(url.pathname);
      if (!m) throw new TugboatError('NotFound', 'the server could not find the requested resource');
      const [, namespace, name, sub] = m;
      const user = await authenticate(req);
      await this.check({
        user,
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        subresource: sub,
        namespace,
        name,
      });
      const pod = await this.backend.context.client('v1', 'Pod', namespace).get(name);
      if (sub === 'portforward') {
        const portForward = this.backend.portForward;
        if (!portForward) throw new TugboatError('MethodNotAllowed', 'this server has no node agents to forward ports to');
        checkPortForwardUpgrade(req);
        const uid = pod.metadata.uid ?? '';
        this.portForwards.accept(req, socket, head, { name, uid }, (port) => portForward(namespace, name, port));
        return;
      }
      const options = remoteCommandOptions(url.searchParams);
      const request = { stdin: options.stdin, tty: options.tty, ...(options.container ? { container: options.container } : {}) };
      let open: () => Promise<ContainerStreams>;
      if (sub === 'exec') {
        const exec = this.backend.exec;
        if (!exec) throw new TugboatError('MethodNotAllowed', 'this server has no node agents to exec in');
        const command = url.searchParams.getAll('command');
        if (!command.length) throw TugboatError.badRequest('command: Required value: you must specify at least 1 command');
        open = () => exec(namespace, name, { command, ...request });
      } else {
        const attach = this.backend.attach;
        if (!attach) throw new TugboatError('MethodNotAllowed', 'this server has no node agents to attach to');
        open = () => attach(namespace, name, request);
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => void streamSession(ws, open));
    } catch (err) {
      const status = statusOf(err);
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  }

  /** Ends every open stream. */
  closeAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.portForwards.closeAll();
  }
}
