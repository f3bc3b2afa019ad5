import type { LogLine, LogOptions } from '../types.js';
import { LineSplitter, splitTimestamp, StreamDemuxer, type StreamFrame } from './demux.js';
import { toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';

/** Turns demuxed frames into LogLines, one splitter per stream. */
class LineAssembler {
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(private readonly timestamps: boolean) {}

  lines(frames: StreamFrame[]): LogLine[] {
    return frames.flatMap((f) => this.splitters[f.stream].push(f.data).map((l) => this.toLine(f.stream, l)));
  }

  flush(): LogLine[] {
    return (['stdout', 'stderr'] as const).flatMap((s) => this.splitters[s].flush().map((l) => this.toLine(s, l)));
  }

  private toLine(stream: 'stdout' | 'stderr', raw: string): LogLine {
    if (!this.timestamps) return { stream, line: raw };
    const { time, line } = splitTimestamp(raw);
    return time ? { stream, line, time } : { stream, line };
  }
}

/**
 * A container's output as LogLines, oldest first (demuxed stdout/stderr). With `follow`, goes
 * on until the container stops or the signal aborts; breaking out of the loop closes the stream.
 */
export async function* containerLogs(scope: DockerScope, id: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
  const { signal } = options;
  if (signal?.aborted) return;
  const container = scope.docker.getContainer(id);
  let tty: boolean;
  try {
    tty = (await container.inspect()).Config?.Tty ?? false;
  } catch (err) {
    throw toTugboatError(err, 'logs', { kind: 'Container', name: id });
  }
  const timestamps = options.timestamps ?? false;
  const demux = new StreamDemuxer(tty);
  const assemble = new LineAssembler(timestamps);
  const base = { stdout: true, stderr: true, timestamps, ...(options.tail !== undefined ? { tail: options.tail } : {}) };

  if (!options.follow) {
    let buf: Buffer;
    try {
      buf = (await container.logs({ ...base, follow: false })) as Buffer;
    } catch (err) {
      throw toTugboatError(err, 'logs', { kind: 'Container', name: id });
    }
    yield* assemble.lines(demux.push(Buffer.from(buf)));
    yield* assemble.flush();
    return;
  }

  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    stream = await container.logs({ ...base, follow: true });
  } catch (err) {
    throw toTugboatError(err, 'logs', { kind: 'Container', name: id });
  }
  const onAbort = () => stream.destroy?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) break;
      yield* assemble.lines(demux.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    }
    if (!signal?.aborted) yield* assemble.flush();
  } catch (err) {
    if (!signal?.aborted) throw toTugboatError(err, 'logs', { kind: 'Container', name: id });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stream.destroy?.();
  }
}
