/**
 * The server end of a SPDY/3 connection as Kubernetes' streaming protocols use it (the Go
 * client's spdystream): the client opens every stream with SYN_STREAM, the server answers each
 * with an empty SYN_REPLY, then both send DATA until FIN or RST_STREAM; PINGs are echoed; GOAWAY
 * ends the connection. Like spdystream, it does no flow control (WINDOW_UPDATE and SETTINGS are
 * read and ignored): back-pressure comes from the transport, whose reading pauses while a stream's
 * reader is behind.
 */
import { Duplex } from 'node:stream';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.js';
import { FrameReader, RstStatus, dataFrame, goAwayFrame, rstStreamFrame, synReplyFrame, type SpdyFrame } from './frames.js';

const MAX_DATA = 0xffffff;
const EMPTY = Buffer.alloc(0);

/** One client-opened stream: its headers, and its data both ways (a Duplex). */
export class SpdyStream extends Duplex {
  /** Set once the client reset the stream (RST_STREAM): nothing more is sent on it. */
  remoteReset = false;

  constructor(
    /** The stream's id (odd: the client's). */
    readonly id: number,
    /** The headers of its SYN_STREAM, by lower-case name. */
    readonly headers: SpdyHeaders,
    private readonly session: SpdyServerSession,
  ) {
    super({ allowHalfOpen: true });
  }

  /** The first value of header `name` (any case), or undefined. */
  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.session.sendData(this, chunk, false, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.session.sendData(this, EMPTY, true, callback);
  }

  override _read(): void {
    this.session.resumeInput();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const completed = this.writableFinished && this.readableEnded;
    if (!completed && !this.remoteReset) this.session.sendReset(this.id, RstStatus.Cancel);
    this.session.forget(this.id);
    callback(err);
  }
}

/** Serves one SPDY/3 connection over `transport`; `onStream` gets each stream the client opens. */
export class SpdyServerSession {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private lastStreamId = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly closeHandlers: Array<() => void> = [];

  constructor(
    private readonly transport: Duplex,
    private readonly onStream: (stream: SpdyStream) => void,
  ) {
    transport.on('data', (chunk: Buffer) => this.receive(chunk));
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', () => this.close());
  }

  /** Calls `handler` once the connection has ended. */
  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Ends the connection: GOAWAY, then every stream and the transport end. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.transport.writable) this.transport.end(goAwayFrame(this.lastStreamId), () => this.transport.destroy());
    else this.transport.destroy();
    for (const s of this.streams.values()) {
      s.remoteReset = true;
      s.destroy();
    }
    this.streams.clear();
    this.decompressor.close();
    for (const h of this.closeHandlers.splice(0)) h();
  }

  private receive(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const frame of frames) {
      this.queue = this.queue.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    switch (frame.type) {
      case 'synStream': {
        const headers = await this.decompressor.decompress(frame.headerBlock);
        if (frame.streamId % 2 === 0 || frame.streamId <= this.lastStreamId) {
          this.sendReset(frame.streamId, RstStatus.ProtocolError);
          return;
        }
        this.lastStreamId = frame.streamId;
        const stream = new SpdyStream(frame.streamId, headers, this);
        this.streams.set(frame.streamId, stream);
        this.write(synReplyFrame(frame.streamId, this.compressor.compress({})));
        if (frame.fin) stream.push(null);
        if (frame.unidirectional) stream.end();
        this.onStream(stream);
        return;
      }
      case 'headers':
      case 'synReply':
        await this.decompressor.decompress(frame.headerBlock);
        return;
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream || stream.readableEnded) return;
        if (frame.data.length > 0 && !stream.push(frame.data)) this.transport.pause();
        if (frame.fin) stream.push(null);
        return;
      }
      case 'rstStream': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.remoteReset = true;
        stream.destroy();
        return;
      }
      case 'ping':
        // The client's pings have odd ids; a server echoes them unchanged.
        if (frame.id % 2 === 1) this.write(frame.raw);
        return;
      case 'goAway':
        this.close();
        return;
      case 'ignored':
        return;
    }
  }

  /** Sends `data` on a stream (FIN with `fin`); `callback` once the transport took it. @internal */
  sendData(stream: SpdyStream, data: Buffer, fin: boolean, callback: (err?: Error | null) => void): void {
    if (this.closed || stream.remoteReset) return callback();
    let ok = true;
    if (data.length === 0) ok = this.write(dataFrame(stream.id, EMPTY, fin));
    for (let at = 0; at < data.length; at += MAX_DATA) {
      const end = Math.min(at + MAX_DATA, data.length);
      ok = this.write(dataFrame(stream.id, data.subarray(at, end), fin && end === data.length));
    }
    if (ok) callback();
    else this.transport.once('drain', () => callback());
  }

  /** Sends RST_STREAM. @internal */
  sendReset(id: number, status: number): void {
    if (!this.closed) this.write(rstStreamFrame(id, status));
  }

  /** A stream is done. @internal */
  forget(id: number): void {
    this.streams.delete(id);
    this.resumeInput();
  }

  /** A stream's reader wants more: read the transport again. @internal */
  resumeInput(): void {
    if (!this.closed && this.transport.isPaused()) this.transport.resume();
  }

  private write(frame: Buffer): boolean {
    if (this.closed || !this.transport.writable) return true;
    return this.transport.write(frame);
  }
}
