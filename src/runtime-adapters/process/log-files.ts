/**
 * Reading a process container's output from its stdout and stderr files. Within a stream the
 * order is kept; between the two streams it is not known (stdout lines come first). Lines carry
 * no time: the files do not record one.
 */
import { open, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { LogLine, LogOptions } from '../types.js';

/** Reads `path` from byte `offset`; returns the complete lines and the offset after them. */
async function readFrom(path: string, offset: number): Promise<{ lines: string[]; offset: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { lines: [], offset };
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { lines: [], offset };
    const buf = Buffer.alloc(size - offset);
    await handle.read(buf, 0, buf.length, offset);
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) return { lines: [], offset };
    const lines = buf.subarray(0, end).toString('utf8').split('\n');
    return { lines, offset: offset + end + 1 };
  } finally {
    await handle.close();
  }
}

/** The sizes of a container's output files now: where an attach starts reading. */
export async function logSizes(files: { stdout: string; stderr: string }): Promise<{ stdout: number; stderr: number }> {
  const size = (path: string) =>
    stat(path).then(
      (s) => s.size,
      () => 0,
    );
  return { stdout: await size(files.stdout), stderr: await size(files.stderr) };
}

/**
 * The lines of a container's output, oldest first (from the `from` offsets, as {@link logSizes}
 * gave them: what was written since); with `follow`, polls the files until `running()` says the
 * process ended (then reads what is left) or the signal aborts.
 */
export async function* readLogs(
  files: { stdout: string; stderr: string },
  options: LogOptions,
  running: () => Promise<boolean>,
  from: { stdout: number; stderr: number } = { stdout: 0, stderr: 0 },
): AsyncIterable<LogLine> {
  const { signal } = options;
  let out = await readFrom(files.stdout, from.stdout);
  let err = await readFrom(files.stderr, from.stderr);
  let first: LogLine[] = [
    ...out.lines.map((line): LogLine => ({ stream: 'stdout', line })),
    ...err.lines.map((line): LogLine => ({ stream: 'stderr', line })),
  ];
  if (options.tail !== undefined) first = options.tail <= 0 ? [] : first.slice(-options.tail);
  for (const l of first) {
    if (signal?.aborted) return;
    yield l;
  }
  if (!options.follow) return;
  for (;;) {
    if (signal?.aborted) return;
    const alive = await running();
    const o = await readFrom(files.stdout, out.offset);
    const e = await readFrom(files.stderr, err.offset);
    out = o;
    err = e;
    for (const line of o.lines) yield { stream: 'stdout', line };
    for (const line of e.lines) yield { stream: 'stderr', line };
    if (!alive) return;
    await delay(100, undefined, { signal }).catch(() => undefined);
  }
}
