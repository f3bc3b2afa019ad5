/**
 * The CRI log format (what the kubelet reads from /var/log/pods): one line per output line,
 * `<RFC 3339 time> <stdout|stderr> <F|P> <text>`, F for a full line, P for a part of a longer
 * one. Pure.
 */
import type { LogLine } from '../types.js';

/** Lines longer than this are written in parts (tag P), as containerd's CRI plugin does. */
export const MAX_LOG_LINE = 16 * 1024;

/** One output line (without its newline) as CRI log records, split in parts past MAX_LOG_LINE. */
export function formatCriLine(stream: 'stdout' | 'stderr', line: string, at: Date): string {
  const time = at.toISOString();
  if (line.length <= MAX_LOG_LINE) return `${time} ${stream} F ${line}\n`;
  const out: string[] = [];
  for (let i = 0; i < line.length; i += MAX_LOG_LINE) {
    const last = i + MAX_LOG_LINE >= line.length;
    out.push(`${time} ${stream} ${last ? 'F' : 'P'} ${line.slice(i, i + MAX_LOG_LINE)}\n`);
  }
  return out.join('');
}

/** A record of a CRI log file as a LogLine; undefined for a line that is not one. */
export function parseCriLine(record: string): (LogLine & { partial: boolean }) | undefined {
  const a = record.indexOf(' ');
  const b = record.indexOf(' ', a + 1);
  const c = record.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = record.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? record.slice(b + 1) : record.slice(b + 1, c);
  const time = new Date(record.slice(0, a));
  if (Number.isNaN(time.getTime())) return undefined;
  return { stream, line: c < 0 ? '' : record.slice(c + 1), time, partial: tag === 'P' };
}

/** Joins parsed records into lines: P parts are prepended to the next F record of the same stream. */
export class CriLineJoiner {
  private readonly parts: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  /** The complete line a record finishes, if any. */
  push(record: LogLine & { partial: boolean }): LogLine | undefined {
    if (record.partial) {
      this.parts[record.stream] += record.line;
      return undefined;
    }
    const line = this.parts[record.stream] + record.line;
    this.parts[record.stream] = '';
    return { stream: record.stream, line, ...(record.time ? { time: record.time } : {}) };
  }
}

/** Splits a byte stream into lines across chunks (UTF-8 safe), keeping the unfinished rest. */
export class ChunkLines {
  private rest = Buffer.alloc(0);

  /** The complete lines in `chunk` (and before it), without their newlines. */
  push(chunk: Buffer): string[] {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, start)) {
      lines.push(data.subarray(start, i).toString('utf8').replace(/\r$/, ''));
      start = i + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
    return lines;
  }

  /** The unfinished last line, if any (at end of stream). */
  flush(): string[] {
    const rest = this.rest;
    this.rest = Buffer.alloc(0);
    return rest.length ? [rest.toString('utf8')] : [];
  }
}
