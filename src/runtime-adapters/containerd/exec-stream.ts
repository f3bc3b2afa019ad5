/**
 * Interactive exec on containerd (kubectl exec -i/-t): a task exec process (exec-process.ts) whose
 * FIFOs are the {@link ContainerStreams}: stdin written as it comes and closed with CloseIO, a
 * terminal resized with ResizePty, the exit status from Wait.
 */
import { PassThrough } from 'node:stream';
import type { ContainerStreams, StreamOptions } from '../types.js';
import { startExecProcess } from './exec-process.js';
import type { FifoReader } from './fifo.js';
import type { ContainerdScope } from './scope.js';

/** How long output may go on after the process exited (a background child holding the FIFO). */
const DRAIN_MS = 2000;

/** Copies a FIFO's bytes to `out`; resolves (and ends `out`) once the FIFO closed. */
function forward(reader: FifoReader | undefined, out: PassThrough | undefined): Promise<void> {
  if (!reader || !out) return Promise.resolve();
  return new Promise((resolve) => {
    reader.stream.on('data', (d: Buffer) => out.write(d));
    reader.stream.on('error', () => undefined);
    reader.stream.once('close', () => {
      out.end();
      resolve();
    });
  });
}

/** Runs `command` in running container `id` with its streams connected as they come. */
export async function execStream(scope: ContainerdScope, id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
  const proc = await startExecProcess(scope, id, command, { stdin: options.stdin, tty: options.tty });
  const stdout = new PassThrough();
  const stderr = options.tty ? undefined : new PassThrough();
  const outputs = Promise.all([forward(proc.stdout, stdout), forward(proc.stderr, stderr)]);
  let stdin: PassThrough | undefined;
  if (proc.stdin) {
    const writer = proc.stdin;
    const input = new PassThrough();
    input.pipe(writer, { end: false }); // the writer's backpressure holds the input back
    input.once('end', () => void proc.closeStdin());
    stdin = input;
  }
  let exited = false;
  const done = (async () => {
    try {
      const exitCode = await proc.exited;
      exited = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([outputs, new Promise((r) => (timer = setTimeout(r, DRAIN_MS)))]);
      clearTimeout(timer);
      return { exitCode };
    } finally {
      exited = true;
      stdin?.destroy();
      await proc.remove();
      stdout.end();
      stderr?.end();
    }
  })();
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    resize: async ({ cols, rows }) => {
      if (!options.tty || exited) return;
      await scope.call('tasks', 'ResizePty', { container_id: id, exec_id: proc.execId, width: cols, height: rows }).catch(() => undefined);
    },
    done,
    close: () => {
      if (!exited) void proc.kill();
    },
  };
}
