/**
 * A container's main process on a pseudo-terminal (pod spec `tty`), as the kubelet gives it one:
 * the runtime holds the pty's master side, writes everything the terminal prints to the
 * container's stdout log file and to each attached client, and types attached input into it.
 * The process leads its own session, so it does not outlive this runtime instance: when the
 * master side closes, the kernel hangs it up (SIGHUP).
 */
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import type { ContainerStreams, StreamOptions } from '../types.js';
import { findExecutable } from './find-executable.js';
import { PTY_PACKAGE, type PtyModule, loadPty, readRestAtEnd } from './terminal.js';

/** A main process running on a pty of this runtime. */
export interface MainTerminal {
  /** The process's pid (its session and process group are its own). */
  readonly pid: number;
  /** Its exit code (128 + the signal's number for a signal), once its output is in the log file. */
  readonly exited: Promise<number>;
  /**
   * A client joining the terminal (kubectl attach): the raw output from now on, its input
   * typed into the terminal when `options.stdin` (its end types ^D only with `stdinOnce`),
   * resizes. `done` gives the exit code when the process exits, nothing when the client detached.
   */
  attach(options: Pick<StreamOptions, 'stdin'>, stdinOnce: boolean): ContainerStreams;
}

/** @lydell/node-pty, or undefined when it cannot load (a `tty` container then runs without a terminal). */
export function optionalPty(load?: (id: string) => unknown): PtyModule | undefined {
  try {
    return load ? loadPty(load) : loadPty();
  } catch {
    return undefined;
  }
}

/**
 * The warning for a `tty` container when the pty package does not load (it then runs on pipes),
 * or undefined when it needs none. `load` is the module loader (a test's stand-in).
 */
export function ttyWarning(tty: boolean | undefined, load?: (id: string) => unknown): string | undefined {
  if (!tty || optionalPty(load)) return undefined;
  return `tty: the process runtime runs this container without a terminal (on pipes): the optional dependency ${PTY_PACKAGE} does not load; install it for a terminal`;
}

/**
 * Starts `argv` with exactly `env` in `cwd` on a new pty (TERM=xterm unless `env` has one),
 * appending what it prints to `logPath`. Rejects, starting nothing, when the executable is not found.
 */
export async function startOnTerminal(
  argv: string[],
  opts: { env: Record<string, string>; cwd: string; logPath: string },
  pty: PtyModule,
): Promise<MainTerminal> {
  if (!(await findExecutable(argv[0], opts.env.PATH, opts.cwd))) throw new Error(`exec: "${argv[0]}": executable file not found`);
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const term = pty.spawn(argv[0], argv.slice(1), {
    name: opts.env.TERM ?? 'xterm',
    cols: 80,
    rows: 24,
    cwd: opts.cwd,
    env: { ...opts.env },
    encoding: null,
  });
  const clients = new Set<PassThrough>();
  let over = false;
  term.on('error', () => undefined);
  const print = (d: Buffer): void => {
    log.write(d);
    for (const c of clients) c.write(d);
  };
  term.onData(print);
  readRestAtEnd(term, print);
  const exited = new Promise<number>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      over = true;
      for (const c of clients) c.end();
      clients.clear();
      log.end(() => resolve(signal ? 128 + signal : exitCode));
    });
  });
  const type = (d: Buffer | string): void => {
    if (!over) term.write(d);
  };
  return {
    pid: term.pid,
    exited,
    attach(options, stdinOnce) {
      const stdout = new PassThrough();
      let detach: (v: { exitCode?: number }) => void = () => {};
      const detached = new Promise<{ exitCode?: number }>((r) => (detach = r));
      if (over) stdout.end();
      else clients.add(stdout);
      let stdin: Writable | undefined;
      if (options.stdin) {
        const client = new PassThrough();
        client.on('data', (d: Buffer) => type(d));
        client.on('end', () => {
          if (stdinOnce) type('\x04');
        });
        stdin = client;
      }
      return {
        stdin,
        stdout,
        resize: async ({ cols, rows }) => {
          if (over || !(cols >= 1 && rows >= 1)) return;
          try {
            term.resize(Math.trunc(cols), Math.trunc(rows));
          } catch {
            /* the terminal closed meanwhile */
          }
        },
        done: Promise.race([exited.then((exitCode) => ({ exitCode })), detached]),
        close: () => {
          clients.delete(stdout);
          stdout.end();
          detach({});
        },
      };
    },
  };
}
