/**
 * Interactive exec and attach on the process runtime: an exec without a TTY is a child process
 * with pipes (with one: terminal.ts); an attach follows the container's output files from now on
 * and writes to the stdin pipe the main process was started with (pod spec `stdin`).
 */
import { spawn } from 'node:child_process';
import { PassThrough, type Writable } from 'node:stream';
import { fieldError, TugboatError } from '../../model/errors.js';
import type { ContainerStreams, LogLine, StreamOptions } from '../types.js';
import { signalExitCode } from './run-command.js';

/** Throws the Invalid error naming `command` unless it is a non-empty array of strings. */
export function checkCommand(command: unknown): asserts command is string[] {
  if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== 'string')) {
    throw TugboatError.invalid({ kind: 'Exec' }, '', [fieldError('command', 'must be a non-empty array of strings')]);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

/**
 * Runs `command` with exactly `env` in `cwd`, its stdin, stdout and stderr as pipes (no TTY:
 * `options.tty` is not looked at); close() kills its process group.
 */
export function spawnStreams(
  command: string[],
  opts: { env: Record<string, string>; cwd: string },
  options: Pick<StreamOptions, 'stdin'>,
): ContainerStreams {
  checkCommand(command);
  const child = spawn(command[0], command.slice(1), {
    env: opts.env,
    cwd: opts.cwd,
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  child.stdout?.pipe(stdout);
  child.stderr?.pipe(stderr);
  let stdin: Writable | undefined;
  if (options.stdin && child.stdin) {
    const input = new PassThrough();
    child.stdin.on('error', () => undefined); // EPIPE when the command exits before reading it all
    input.pipe(child.stdin);
    stdin = input;
  }
  let exited = false;
  const done = new Promise<{ exitCode?: number }>((resolve) => {
    child.once('error', (err) => {
      exited = true;
      stderr.end(`${err.message}\n`);
      stdout.end();
      resolve({ exitCode: 127 });
    });
    child.once('close', (code, signal) => {
      exited = true;
      resolve({ exitCode: code ?? signalExitCode(signal) });
    });
  });
  return {
    stdin,
    stdout,
    stderr,
    resize: async () => {},
    done,
    close: () => {
      if (!exited) killGroup(child.pid);
    },
  };
}

/** What attaching to a process container needs from the runtime. */
export interface AttachTarget {
  /** The main process's stdin pipe, when it was started with one and this runtime started it. */
  stdin?: Writable;
  /** Close the main process's stdin when the attached client closes its stdin. */
  stdinOnce: boolean;
  /** The container's output from now on, until it exits or the signal aborts. */
  follow(signal: AbortSignal): AsyncIterable<LogLine>;
  /** The exit code once the container exited (undefined while it runs). */
  exitCode(): Promise<number | undefined>;
}

/** Attaches to a process container: its output lines as they are written, and its stdin pipe. */
export function attachStreams(id: string, target: AttachTarget, options: StreamOptions): ContainerStreams {
  if (options.stdin && !target.stdin) {
    throw TugboatError.badRequest(
      `container ${id} has no stdin to attach to: it was not started with stdin: true by this process (a process adopted after a restart has none)`,
    );
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const abort = new AbortController();
  let stdin: Writable | undefined;
  if (options.stdin && target.stdin) {
    const pipe = target.stdin;
    const input = new PassThrough();
    input.on('data', (d: Buffer) => pipe.write(d));
    input.on('end', () => {
      if (target.stdinOnce) pipe.end();
    });
    stdin = input;
  }
  const done = (async () => {
    try {
      for await (const l of target.follow(abort.signal)) (l.stream === 'stderr' && !options.tty ? stderr : stdout).write(`${l.line}\n`);
    } finally {
      stdout.end();
      stderr.end();
    }
    if (abort.signal.aborted) return {};
    return { exitCode: await target.exitCode() };
  })();
  return { stdin, stdout, ...(options.tty ? {} : { stderr }), resize: async () => {}, done, close: () => abort.abort() };
}
