/**
 * One listening port of a local load balancer: a TCP server that pipes each connection to the
 * next backend (round-robin), trying the others when one refuses.
 */
import net from 'node:net';

/** Where a connection may be sent. */
export interface Backend {
  host: string;
  port: number;
}

/** A TCP listener forwarding to a set of backends that can change while it runs. */
export class TcpBalancer {
  private backends: Backend[] = [];
  private next = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {
    server.on('connection', (socket) => this.forward(socket));
  }

  /**
   * Listens on `host:port`, or on a free port when `port` is 0 or taken (or not allowed);
   * resolves once listening.
   */
  static async listen(host: string, port: number): Promise<TcpBalancer> {
    const tryListen = (p: number): Promise<net.Server> =>
      new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen({ host, port: p, exclusive: true }, () => {
          server.off('error', reject);
          resolve(server);
        });
      });
    let server: net.Server;
    try {
      server = await tryListen(port);
    } catch (err) {
      if (port === 0) throw err;
      server = await tryListen(0);
    }
    return new TcpBalancer(server);
  }

  /** The port it listens on. */
  get port(): number {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Replaces the backends; connections open now keep theirs. */
  setBackends(backends: readonly Backend[]): void {
    this.backends = [...backends];
  }

  /** Stops listening and ends every forwarded connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const candidates = this.backends.length;
    const start = this.next++;
    const attempt = (tries: number): void => {
      if (tries >= candidates || client.destroyed) {
        client.destroy();
        return;
      }
      const backend = this.backends[(start + tries) % this.backends.length]!;
      const upstream = net.connect({ host: backend.host, port: backend.port });
      this.sockets.add(upstream);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        upstream.destroy();
        if (!connected) attempt(tries + 1);
        else client.destroy();
      });
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        if (connected) client.end();
      });
      client.on('close', () => upstream.destroy());
    };
    attempt(0);
  }
}
