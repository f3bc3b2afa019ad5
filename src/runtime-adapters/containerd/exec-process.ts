/**
 * One task exec process, as containerd's cio and `ctr tasks exec` set it up: the container's
 * process spec with other arguments, FIFOs in a folder of its own, the readers opened (and held)
 * before Start, Wait started before Start, the stdin writer opened after Start (the shim opens
 * its reading end then), and everything deleted at the end. Shared by the buffered exec (exec.ts)
 * and the streaming one (exec-stream.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import { makeFifos, openFifoReader, openFifoWriter, type FifoReader } from './fifo.js';
import { describe } from './sandbox.js';
import type { ContainerdScope } from './scope.js';
import { killTask, waitTask } from './tasks.js';

/** How an exec process's stdio is set up. */
export interface ExecProcessOptions {
  /** Give it a stdin FIFO (its writer is {@link ExecProcess.stdin}). */
  stdin: boolean;
  /** Run it on a terminal: its output is one stream, on stdout. */
  tty: boolean;
  /** How long Wait may take. @default one hour */
  waitTimeoutMs?: number;
}

/** A started exec process. */
export interface ExecProcess {
  readonly execId: string;
  /** Its stdout (with a terminal, everything it prints); closes once the shim closed its end. */
  readonly stdout: FifoReader;
  /** Its stderr; absent on a terminal. */
  readonly stderr?: FifoReader;
  /** The writer of its stdin FIFO, when asked for; see {@link ExecProcess.closeStdin}. */
  readonly stdin?: Socket;
  /** Settles with its exit status once it exited (undefined when containerd lost it). */
  readonly exited: Promise<number | undefined>;
  /** Flushes and closes the stdin writer, then has the shim close its own (CloseIO): the process reads end of file. */
  closeStdin(): Promise<void>;
  /** SIGKILL to the process (nothing when it is gone). */
  kill(): Promise<void>;
  /** Closes the FIFOs, deletes the process from the task and removes its folder. Idempotent. */
  remove(): Promise<void>;
}

/** Validates the command and that container `id` runs; its process spec. */
async function processSpecOf(scope: ContainerdScope, id: string, command: string[]) {
  const subject = { kind: 'Container', name: id };
  if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== 'string'))
    throw TugboatError.invalid({ kind: 'Exec' }, id, [fieldError('command', 'must be a non-empty array of strings', 'FieldValueRequired')]);
  const c = await scope.getContainer(id);
  if (!c) throw new TugboatError('NotFound', `containerd: no container ${id}`, subject);
  const task = await scope.getTask(id);
  if (task?.status !== 'RUNNING') throw new TugboatError('Conflict', `containerd: container ${id} is not running`, subject);
  const spec = JSON.parse(Buffer.from(c.spec?.value ?? '{}').toString('utf8')) as { process?: { env?: string[] } };
  return { container: c, process: spec.process ?? {} };
}

/** Creates and starts an exec process running `command` in container `id`. */
export async function startExecProcess(
  scope: ContainerdScope,
  id: string,
  command: string[],
  options: ExecProcessOptions,
): Promise<ExecProcess> {
  const { container, process } = await processSpecOf(scope, id, command);
  const execId = `exec-${randomBytes(6).toString('hex')}`;
  const dir = path.join(scope.containerDir(id, container.labels), execId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = { stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr') };
  const fifos = [...(options.stdin ? [paths.stdin] : []), paths.stdout, ...(options.tty ? [] : [paths.stderr])];
  let stdin: Socket | undefined;
  let removed: Promise<void> | undefined;
  const readers: FifoReader[] = [];
  const remove = (): Promise<void> =>
    (removed ??= (async () => {
      stdin?.destroy();
      for (const r of readers) {
        r.release();
        r.stream.destroy();
      }
      await scope.call('tasks', 'DeleteProcess', { container_id: id, exec_id: execId }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    await makeFifos(fifos);
    readers.push(openFifoReader(paths.stdout, true));
    if (!options.tty) readers.push(openFifoReader(paths.stderr, true));
    const env = process.env ?? [];
    // A terminal gets TERM=xterm unless the container has one, as containerd's CRI plugin does.
    const withTerm = options.tty && !env.some((e) => e.startsWith('TERM=')) ? [...env, 'TERM=xterm'] : env;
    const spec = { ...process, args: command, env: withTerm, terminal: options.tty };
    await scope.call('tasks', 'Exec', {
      container_id: id,
      exec_id: execId,
      stdin: options.stdin ? paths.stdin : '',
      stdout: paths.stdout,
      stderr: options.tty ? '' : paths.stderr,
      terminal: options.tty,
      spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Process', value: Buffer.from(JSON.stringify(spec)) },
    });
    const exited = waitTask(scope, id, options.waitTimeoutMs ?? 3600_000, execId);
    exited.catch(() => undefined);
    await scope.call('tasks', 'Start', { container_id: id, exec_id: execId });
    // The shim has its ends open now: this process's own writers may go, and its stdin writer open.
    for (const r of readers) r.release();
    if (options.stdin) stdin = openFifoWriter(paths.stdin);
    const writer = stdin;
    let stdinClosed: Promise<void> | undefined;
    return {
      execId,
      stdout: readers[0],
      ...(options.tty ? {} : { stderr: readers[1] }),
      ...(writer ? { stdin: writer } : {}),
      exited,
      closeStdin: () =>
        (stdinClosed ??= (async () => {
          if (writer && !writer.destroyed) await new Promise<void>((resolve) => writer.end(() => resolve()));
          writer?.destroy();
          await scope.call('tasks', 'CloseIO', { container_id: id, exec_id: execId, stdin: true }).catch(() => undefined);
        })()),
      kill: async () => {
        await killTask(scope, id, 9, false, execId).catch(() => undefined);
      },
      remove,
    };
  } catch (e) {
    await killTask(scope, id, 9, false, execId).catch(() => undefined);
    await remove();
    if (e instanceof TugboatError) throw e;
    throw new TugboatError('InternalError', `containerd: exec in Container ${id}: ${describe(scope.wrap(e))}`, {
      kind: 'Container',
      name: id,
    });
  }
}
