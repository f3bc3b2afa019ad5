import { StringDecoder } from 'node:string_decoder';

/** One frame of Docker's multiplexed attach/logs stream. */
export interface StreamFrame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/**
 * Splits Docker's multiplexed stream (8-byte headers: stream type, 3 zero bytes, big-endian
 * length) into frames, across chunk boundaries. A container with a TTY sends raw bytes: pass
 * `raw` and everything is stdout. Pure and incremental: feed chunks as they come.
 */
export class StreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly raw = false) {}

  /** Feeds a chunk; returns the frames it completes. */
  push(chunk: Buffer): StreamFrame[] {
    if (this.raw) return chunk.length ? [{ stream: 'stdout', data: chunk }] : [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: StreamFrame[] = [];
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const data = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1 || type === 2) frames.push({ stream: type === 2 ? 'stderr' : 'stdout', data });
    }
    return frames;
  }
}

/** Cuts one stream's bytes into lines (without the newline), UTF-8 safe across chunks. */
export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private partial = '';

  /** Feeds bytes; returns the lines they complete. */
  push(data: Buffer): string[] {
    const text = this.partial + this.decoder.write(data);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The last line when the output did not end with a newline. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest ? [rest] : [];
  }
}

/** Splits Docker's `timestamps` prefix (RFC 3339 with nanoseconds, then a space) off a line. */
export function splitTimestamp(line: string): { time?: Date; line: string } {
  const space = line.indexOf(' ');
  const stamp = space > 0 ? line.slice(0, space) : line;
  if (!/^\d{4}-\d\d-\d\dT/.test(stamp)) return { line };
  const time = new Date(stamp.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(time.getTime())) return { line };
  return { time, line: space > 0 ? line.slice(space + 1) : '' };
}
