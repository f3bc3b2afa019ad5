/**
 * The `portforward.k8s.io` protocol over SPDY streams, as the kubelet serves it: for each local
 * connection the client opens two streams with the same `requestID` header, `streamType: error`
 * and `streamType: data`, both naming the pod's `port`. Once both are open, the data stream is
 * joined to a new connection to that port; when the pod's side closes, the data stream ends (FIN),
 * then the error stream. A failure (a bad port, a refused connection) is written as text on the
 * error stream before it ends, which kubectl prints as "an error occurred forwarding".
 */
import type { Duplex } from 'node:stream';
import type { SpdyStream } from './spdy/session.js';

/** Opens a connection to a port of the pod being forwarded. */
export type PortDialer = (port: number) => Promise<Duplex>;

/** The protocol name, sent in `X-Stream-Protocol-Version` and in the WebSocket subprotocol. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
}

/** Serves the streams of one port-forward connection to pod `pod` (`uid`). */
export class PortForwardStreams {
  private readonly pairs = new Map<string, Pair>();
  private readonly open = new Set<Duplex>();

  constructor(
    private readonly pod: string,
    private readonly uid: string,
    private readonly dial: PortDialer,
  ) {}

  /** Takes one stream the client opened. */
  add(stream: SpdyStream): void {
    const type = stream.header('streamType');
    if (type !== 'data' && type !== 'error') {
      stream.destroy();
      return;
    }
    // Clients before Kubernetes 1.6 send no requestID: the error stream is opened just before its
    // data stream, so a pair's ids are n (error) and n + 2 (data), as the kubelet reckons.
    const id = stream.header('requestID') ?? String(type === 'error' ? stream.id : stream.id - 2);
    const pair = this.pairs.get(id) ?? {};
    if (pair[type]) {
      stream.destroy();
      return;
    }
    pair[type] = stream;
    this.pairs.set(id, pair);
    stream.once('close', () => {
      if (this.pairs.get(id) === pair && !(pair.data && pair.error)) this.pairs.delete(id);
    });
    if (pair.data && pair.error) {
      this.pairs.delete(id);
      void this.forward(pair.data, pair.error);
    }
  }

  /** Ends every forwarded connection (the SPDY connection closed). */
  closeAll(): void {
    for (const c of this.open) c.destroy();
    this.open.clear();
    this.pairs.clear();
  }

  private async forward(data: SpdyStream, error: SpdyStream): Promise<void> {
    error.resume(); // the client sends nothing on it but its FIN
    const portText = data.header('port') ?? '';
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    const fail = (message: string) => {
      if (!error.destroyed) error.end(`error forwarding port ${portText} to pod ${this.pod}, uid ${this.uid}: ${message}`);
      if (!data.destroyed) data.end();
    };
    if (!(port >= 1 && port <= 65535)) return fail(`port: Invalid value: "${portText}": must be an integer between 1 and 65535`);
    let socket: Duplex;
    try {
      socket = await this.dial(port);
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    if (data.destroyed) {
      socket.destroy();
      error.end();
      return;
    }
    this.open.add(socket);
    let failure: string | undefined;
    socket.on('error', (err) => (failure = err.message));
    socket.on('close', () => {
      this.open.delete(socket);
      if (!data.destroyed && !data.writableEnded) data.end();
      if (!error.destroyed)
        error.end(
          failure && !data.remoteReset ? `error forwarding port ${port} to pod ${this.pod}, uid ${this.uid}: ${failure}` : undefined,
        );
    });
    data.on('close', () => socket.destroy());
    data.on('error', () => socket.destroy());
    data.pipe(socket);
    socket.pipe(data, { end: true });
  }
}
