/**
 * Runs a command in a running container as a task exec process: the container's process spec
 * with other arguments, stdout and stderr through FIFOs, the exit status from Wait. With
 * `timeoutMs`, the process is killed and the call fails with Timeout.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import type { ExecResult } from '../types.js';
import { makeFifos, openFifoReader, type FifoReader } from './fifo.js';
import { describe } from './sandbox.js';
import type { ContainerdScope } from './scope.js';
import { killTask, waitTask } from './tasks.js';

function collect(reader: FifoReader): Promise<Buffer> {
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
  const subject = { kind: 'Container', name: id };
  if (command.length === 0)
    throw TugboatError.invalid({ kind: 'Exec' }, id, [fieldError('command', 'must not be empty', 'FieldValueRequired')]);
  const c = await scope.getContainer(id);
  if (!c) throw new TugboatError('NotFound', `containerd: no container ${id}`, subject);
  const task = await scope.getTask(id);
  if (task?.status !== 'RUNNING') throw new TugboatError('Conflict', `containerd: container ${id} is not running`, subject);
  const spec = JSON.parse(Buffer.from(c.spec?.value ?? '{}').toString('utf8')) as { process?: Record<string, unknown> };
  const execId = `exec-${randomBytes(6).toString('hex')}`;
  const dir = path.join(scope.containerDir(id, c.labels), execId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const out = path.join(dir, 'stdout');
  const err = path.join(dir, 'stderr');
  await makeFifos([out, err]);
  const readers = [openFifoReader(out, true), openFifoReader(err, true)];
  const outputs = Promise.all(readers.map(collect));
  let timer: NodeJS.Timeout | undefined;
  try {
    const processSpec = { ...spec.process, args: command, terminal: false };
    await scope.call('tasks', 'Exec', {
      container_id: id,
      exec_id: execId,
      stdout: out,
      stderr: err,
      terminal: false,
      spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Process', value: Buffer.from(JSON.stringify(processSpec)) },
    });
    const waited = waitTask(scope, id, (options.timeoutMs ?? 0) + 3600_000, execId);
    waited.catch(() => undefined);
    // The shim opens the FIFOs when the process starts: only then may this process's writers go.
    await scope.call('tasks', 'Start', { container_id: id, exec_id: execId });
    for (const r of readers) r.release();
    const timeout =
      options.timeoutMs !== undefined
        ? new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
          })
        : undefined;
    const first = await (timeout ? Promise.race([waited, timeout]) : waited);
    if (first === 'timeout') {
      await killTask(scope, id, 9, false, execId);
      await waited.catch(() => undefined);
      throw new TugboatError('Timeout', `exec in container ${id} timed out after ${options.timeoutMs}ms: ${command.join(' ')}`);
    }
    const [stdout, stderr] = await Promise.race([
      outputs,
      new Promise<Buffer[]>((r) => setTimeout(() => r([Buffer.alloc(0), Buffer.alloc(0)]), 5000).unref()),
    ]);
    return { exitCode: first ?? -1, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') };
  } catch (e) {
    if (e instanceof TugboatError) throw e;
    throw new TugboatError('InternalError', `containerd: exec in Container ${id}: ${describe(scope.wrap(e))}`, subject);
  } finally {
    clearTimeout(timer);
    for (const r of readers) {
      r.release();
      r.stream.destroy();
    }
    await scope.call('tasks', 'DeleteProcess', { container_id: id, exec_id: execId }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
