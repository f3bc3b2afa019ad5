/**
 * Attach on containerd (kubectl attach): the main task's output from now on, teed from its log
 * pump (the only reader of its stdout/stderr FIFOs: a second reader would split their bytes),
 * and a writer of its own on the task's stdin FIFO when the container was created with `stdin`.
 * With `stdinOnce`, the first client to close its stdin closes the task's (CloseIO), as the
 * kubelet's runtimes do.
 */
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { TugboatError } from '../../model/errors.js';
import type { ContainerStreams, StreamOptions } from '../types.js';
import { openFifoWriter } from './fifo.js';
import type { ContainerdScope } from './scope.js';
import { waitTask } from './tasks.js';
import { CONTAINERD_LABELS } from './types.js';

/** Connects to the running main task of container `id`. */
export async function attachContainer(scope: ContainerdScope, id: string, options: StreamOptions): Promise<ContainerStreams> {
  const c = await scope.getContainer(id);
  if (!c) throw new TugboatError('NotFound', `containerd: no container ${id}`, { kind: 'Container', name: id });
  const task = await scope.getTask(id);
  if (task?.status !== 'RUNNING') throw TugboatError.badRequest(`container ${id} is not running`);
  const pump = scope.pumps.get(id);
  if (!pump || pump.finished) {
    throw TugboatError.badRequest(`container ${id}'s output is not read by this runtime (its log pump runs elsewhere): cannot attach here`);
  }
  if (options.stdin && !task.stdin) throw TugboatError.badRequest(`container ${id} was not created with stdin open (pod spec stdin: true)`);
  const tty = task.terminal ?? false;
  const stdinOnce = c.labels[CONTAINERD_LABELS.stdinOnce] === 'true';
  const stdout = new PassThrough();
  const stderr = tty ? undefined : new PassThrough();
  let writer: Socket | undefined;
  try {
    writer = options.stdin && task.stdin ? openFifoWriter(task.stdin) : undefined;
  } catch (err) {
    // The shim holds the FIFO's reader while the task runs: gone means the task just ended.
    throw new TugboatError('Conflict', `containerd: cannot open the stdin of container ${id}: ${(err as Error).message}`, {
      kind: 'Container',
      name: id,
    });
  }
  let detached = false;
  const onData = (stream: 'stdout' | 'stderr', chunk: Buffer) => (stream === 'stderr' && stderr ? stderr : stdout).write(chunk);
  let finish: () => void = () => undefined;
  const over = new Promise<void>((resolve) => (finish = resolve));
  const onEnd = () => finish();
  pump.on('data', onData);
  pump.once('end', onEnd);
  let stdin: PassThrough | undefined;
  let stdinEnded = false;
  /** This client's stdin is over (its end, a detach, the task's exit): close the writer; stdinOnce closes the task's too. */
  const endStdin = (): void => {
    const w = writer;
    if (!w || stdinEnded) return;
    stdinEnded = true;
    let closed = false;
    const after = (): void => {
      if (closed) return;
      closed = true;
      w.destroy();
      if (stdinOnce) void scope.call('tasks', 'CloseIO', { container_id: id, exec_id: '', stdin: true }).catch(() => undefined);
    };
    if (w.destroyed || w.writableEnded) {
      after();
      return;
    }
    w.once('finish', after);
    w.once('close', after);
    w.end();
  };
  if (writer) {
    const input = new PassThrough();
    input.pipe(writer, { end: false }); // the writer's backpressure holds the input back
    input.once('end', endStdin);
    stdin = input;
  }
  const done = over.then(async () => {
    pump.off('data', onData);
    pump.off('end', onEnd);
    endStdin();
    stdout.end();
    stderr?.end();
    if (detached) return {};
    // The FIFOs closed: the task exited (Wait answers at once with its status).
    const exitCode = await waitTask(scope, id, 10_000).catch(() => undefined);
    return exitCode === undefined ? {} : { exitCode };
  });
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    resize: async ({ cols, rows }) => {
      if (!tty || detached) return;
      await scope.call('tasks', 'ResizePty', { container_id: id, exec_id: '', width: cols, height: rows }).catch(() => undefined);
    },
    done,
    close: () => {
      detached = true;
      finish();
    },
  };
}
