/**
 * A container's output, read back from its CRI log file. With `follow`, goes on as the log pump
 * appends (woken by the pump of this runtime, else every 250 ms) until the container has
 * exited and its output is all read, or the signal aborts.
 */
import { open } from 'node:fs/promises';
import { TugboatError } from '../../model/errors.js';
import { RUNTIME_LABELS, type LogLine, type LogOptions } from '../types.js';
import { ChunkLines, CriLineJoiner, parseCriLine } from './cri-log.js';
import { logPaths } from './log-pump.js';
import type { ContainerdScope } from './scope.js';

/** Reads `file` from `offset` to its end; the bytes read (none when it does not exist). */
async function readFrom(file: string, offset: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A container's output as LogLines, oldest first. */
export async function* containerLogs(scope: ContainerdScope, id: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
  const { signal } = options;
  if (signal?.aborted) return;
  const c = await scope.getContainer(id);
  if (c?.labels[RUNTIME_LABELS.role] !== 'container')
    throw new TugboatError('NotFound', `containerd: no container ${id}`, { kind: 'Container', name: id });
  const file = logPaths(scope.containerDir(id, c.labels)).log;
  const records = new ChunkLines();
  const joiner = new CriLineJoiner();
  const toLines = (buf: Buffer): LogLine[] => {
    const out: LogLine[] = [];
    for (const r of records.push(buf)) {
      const parsed = parseCriLine(r);
      const line = parsed && joiner.push(parsed);
      if (line) out.push(options.timestamps ? line : { stream: line.stream, line: line.line });
    }
    return out;
  };
  let offset = 0;
  const first = await readFrom(file, 0);
  offset += first.length;
  let lines = toLines(first);
  if (options.tail !== undefined) lines = options.tail <= 0 ? [] : lines.slice(-options.tail);
  yield* lines;
  if (!options.follow) return;

  const running = async (): Promise<boolean> => {
    const pump = scope.pumps.get(id);
    if (pump) return !pump.finished;
    const task = await scope.getTask(id);
    return task !== undefined && task.status !== 'STOPPED';
  };
  while (!signal?.aborted) {
    const alive = await running();
    const more = await readFrom(file, offset);
    offset += more.length;
    yield* toLines(more);
    if (!alive) return;
    await wake(scope, id, signal);
  }
}

/** Resolves at the pump's next write or end, after 250 ms, or when the signal aborts. */
function wake(scope: ContainerdScope, id: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const pump = scope.pumps.get(id);
    const done = (): void => {
      clearTimeout(timer);
      pump?.off('written', done);
      pump?.off('end', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, 250);
    pump?.once('written', done);
    pump?.once('end', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
