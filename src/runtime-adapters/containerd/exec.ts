/**
 * Runs a command in a running container to completion as a task exec process (exec-process.ts),
 * its stdout and stderr collected, the exit status from Wait. With `timeoutMs`, the process is
 * killed and the call fails with Timeout.
 */
import { TugboatError } from '../../model/errors.js';
import type { ExecResult } from '../types.js';
import type { FifoReader } from './fifo.js';
import { startExecProcess } from './exec-process.js';
import { describe } from './sandbox.js';
import type { ContainerdScope } from './scope.js';

function collect(reader: FifoReader | undefined): Promise<Buffer> {
  if (!reader) return Promise.resolve(Buffer.alloc(0));
  const parts: Buffer[] = [];
  return new Promise((resolve) => {
    reader.stream.on('data', (d: Buffer) => parts.push(d));
    reader.stream.on('error', () => undefined);
    reader.stream.on('close', () => resolve(Buffer.concat(parts)));
  });
}

/** Runs `command` in container `id`; its exit code and output. */
export async function execInContainer(
  scope: ContainerdScope,
  id: string,
  command: string[],
  options: { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const proc = await startExecProcess(scope, id, command, {
    stdin: false,
    tty: false,
    waitTimeoutMs: (options.timeoutMs ?? 0) + 3600_000,
  });
  const outputs = Promise.all([collect(proc.stdout), collect(proc.stderr)]);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout =
      options.timeoutMs !== undefined
        ? new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
          })
        : undefined;
    const first = await (timeout ? Promise.race([proc.exited, timeout]) : proc.exited);
    if (first === 'timeout') {
      await proc.kill();
      await proc.exited.catch(() => undefined);
      throw new TugboatError('Timeout', `exec in container ${id} timed out after ${options.timeoutMs}ms: ${command.join(' ')}`);
    }
    // A background child of the command may hold the FIFOs open: its output is not waited for long.
    const [stdout, stderr] = await Promise.race([
      outputs,
      new Promise<Buffer[]>((r) => setTimeout(() => r([Buffer.alloc(0), Buffer.alloc(0)]), 5000).unref()),
    ]);
    return { exitCode: first ?? -1, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') };
  } catch (e) {
    if (e instanceof TugboatError) throw e;
    throw new TugboatError('InternalError', `containerd: exec in Container ${id}: ${describe(scope.wrap(e))}`, {
      kind: 'Container',
      name: id,
    });
  } finally {
    clearTimeout(timer);
    await proc.remove();
  }
}
