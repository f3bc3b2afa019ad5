/**
 * pods/exec over WebSockets, as kubectl 1.32 speaks it (the `v5.channel.k8s.io` subprotocol, and
 * v4 before it): every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 the
 * final Status, 4 terminal resize, 255 close). The runtime contract runs a command to completion,
 * so exec is non-interactive: its output is sent when it ends, and stdin and a TTY are refused.
 * pods/portforward speaks SPDY (over a WebSocket or a plain upgrade: port-forward-upgrade.ts).
 * pods/attach answers with a Status saying it is not supported.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { TugboatError } from '../model/errors.js';
import type { ServerBackend, UserInfo } from './types.js';
import type { RequestAttributes } from './authorizer.js';
import { statusOf } from './http-status.js';
import { PortForwardUpgrades, checkPortForwardUpgrade } from './port-forward-upgrade.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/** Upgrades pod exec/attach/portforward requests to WebSockets. */
export class PodStreams {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
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
      if (sub !== 'exec') throw new TugboatError('BadRequest', `pods/${sub} is not supported by tugboat's runtimes`);
      if (!this.backend.exec) throw new TugboatError('MethodNotAllowed', 'this server has no node agents to exec in');
      if (url.searchParams.get('tty') === 'true')
        throw TugboatError.badRequest('exec with a TTY is not supported: the runtimes run commands to completion');
      const command = url.searchParams.getAll('command');
      if (!command.length) throw TugboatError.badRequest('command: Required value: you must specify at least 1 command');
      const container = url.searchParams.get('container') ?? undefined;
      this.wss.handleUpgrade(req, socket, head, (ws) => void this.exec(ws, namespace, name, command, container));
    } catch (err) {
      const status = statusOf(err);
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  }

  private async exec(ws: WebSocket, namespace: string, pod: string, command: string[], container?: string): Promise<void> {
    const send = (channel: number, data: string | Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    };
    try {
      const result = await this.backend.exec!(namespace, pod, command, container);
      if (result.stdout) send(1, result.stdout);
      if (result.stderr) send(2, result.stderr);
      send(
        3,
        JSON.stringify(
          result.exitCode === 0
            ? { metadata: {}, status: 'Success' }
            : {
                metadata: {},
                status: 'Failure',
                message: `command terminated with non-zero exit code: exit status ${result.exitCode}`,
                reason: 'NonZeroExitCode',
                details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] },
              },
        ),
      );
    } catch (err) {
      const s = statusOf(err);
      send(3, JSON.stringify({ metadata: {}, status: 'Failure', message: s.message, reason: s.reason, code: s.code }));
    } finally {
      ws.close(1000);
    }
  }

  /** Ends every open stream. */
  closeAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.portForwards.closeAll();
  }
}
