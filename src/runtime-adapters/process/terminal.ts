/**
 * Exec on a pseudo-terminal for the process runtime (kubectl exec -t), through the optional
 * dependency @lydell/node-pty (node-pty with prebuilt binaries), loaded on first use: without it
 * (not installed, `--omit=optional`, a platform it has no binary for) a TTY is refused, naming it.
 */
import { readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough, type Writable } from 'node:stream';
import { TugboatError } from '../../model/errors.js';
import type { ContainerStreams, TerminalSize } from '../types.js';
import { findExecutable } from './find-executable.js';

/** The npm package that gives the process runtime its terminals. */
export const PTY_PACKAGE = '@lydell/node-pty';

/** A terminal's size before the client sends its own (kubectl sends it at once). */
const INITIAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

/** One process on a pty, as @lydell/node-pty gives it with `encoding: null` (its output as Buffers). */
export interface PtyProcess {
  /** The process's pid: it leads its own session and process group. */
  readonly pid: number;
  /** Everything the terminal prints. */
  onData(listener: (data: Buffer) => void): unknown;
  /** Once the process exited and its output was read; `signal` is a number, 0 for none. */
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): unknown;
  /** Types into the terminal. */
  write(data: Buffer | string): void;
  /** Sets the terminal's size (TIOCSWINSZ: the process gets SIGWINCH). */
  resize(cols: number, rows: number): void;
  /** The master side's fd (node-pty's UnixTerminal has it; its .d.ts does not say so). */
  readonly fd: number;
  /** Read errors of the terminal (other than the EIO of its end), and the end of its output as libuv sees it. */
  on(event: 'error' | 'end', listener: (err?: Error) => void): void;
}

/** The part of @lydell/node-pty this runtime uses. */
export interface PtyModule {
  /** Starts `file` (found in `env.PATH` by execvp) on a new pty. */
  spawn(
    file: string,
    args: string[],
    options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string>; encoding: null },
  ): PtyProcess;
}

/**
 * Loads @lydell/node-pty (with its binary for this platform), or throws the BadRequest that
 * refuses a TTY and says what to install. `load` is how a module is required (a test passes one
 * that fails).
 */
export function loadPty(load: (id: string) => unknown = createRequire(import.meta.url)): PtyModule {
  try {
    return load(PTY_PACKAGE) as PtyModule;
  } catch (err) {
    const why = String((err as Error)?.message ?? err).split('\n')[0];
    throw TugboatError.badRequest(
      `the process runtime cannot exec with a TTY without the optional dependency ${PTY_PACKAGE} (npm install ${PTY_PACKAGE}@1.1.0): ${why}`,
    );
  }
}

/**
 * Makes `deliver` get all of the output, whatever libuv does at its end. libuv takes a hang-up
 * (POLLHUP) after a short read for the end of the stream, but a pty gives at most 4095 bytes a
 * read, so up to a few KB a process wrote just before it exited would be left unread, and lost
 * when the fd closes (what node-pty's issues #85 and #726 report on Linux). At that end, before
 * the fd closes, the rest is read here until the kernel says EIO (the other side is closed and
 * its output all read) or has nothing more.
 */
export function readRestAtEnd(term: PtyProcess, deliver: (data: Buffer) => void): void {
  term.on('end', () => {
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(term.fd, buf, 0, buf.length, null);
      } catch {
        return; // EIO: all read; EAGAIN: nothing more now; EBADF: closed already
      }
      if (n <= 0) return;
      deliver(Buffer.from(buf.subarray(0, n)));
    }
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

/** A finished exec that only printed `message` on its terminal. */
function failed(message: string, exitCode: number, stdin: boolean): ContainerStreams {
  const stdout = new PassThrough();
  stdout.end(`${message}\r\n`);
  return {
    ...(stdin ? { stdin: new PassThrough().resume() } : {}),
    stdout,
    resize: async () => {},
    done: Promise.resolve({ exitCode }),
    close: () => {},
  };
}

/**
 * Runs `command` with exactly `env` (plus `TERM=xterm` unless it has a TERM, as Docker gives a
 * TTY exec) in `cwd`, on a new pty: stdout is everything the terminal prints, raw; stdin (when
 * asked for) is typed into it, and its end types the end-of-file character (^D, as script(1)
 * does); `resize` sets the terminal's size; `done` gives the exit code (128 + the signal's number
 * for a signal). An executable not found prints so and exits 127 without starting anything.
 * `close()` kills the process group. The output is whole up to the exit ({@link readRestAtEnd}).
 */
export async function spawnTerminal(
  command: string[],
  opts: { env: Record<string, string>; cwd: string },
  options: { stdin: boolean },
  pty: PtyModule = loadPty(),
): Promise<ContainerStreams> {
  const [file, ...args] = command;
  if (!(await findExecutable(file, opts.env.PATH, opts.cwd))) {
    return failed(`exec: "${file}": executable file not found${file.includes('/') ? '' : ' in $PATH'}`, 127, options.stdin);
  }
  const term = pty.spawn(file, args, {
    name: opts.env.TERM ?? 'xterm',
    ...INITIAL_SIZE,
    cwd: opts.cwd,
    env: { ...opts.env },
    encoding: null,
  });
  const stdout = new PassThrough();
  let exited = false;
  term.on('error', () => undefined); // a read error ends the terminal like its EIO; onExit still fires
  term.onData((d) => stdout.write(d));
  readRestAtEnd(term, (d) => stdout.write(d));
  const done = new Promise<{ exitCode?: number }>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      exited = true;
      stdout.end();
      resolve({ exitCode: signal ? 128 + signal : exitCode });
    });
  });
  let stdin: Writable | undefined;
  if (options.stdin) {
    const input = new PassThrough();
    input.on('data', (d: Buffer) => {
      if (!exited) term.write(d);
    });
    input.on('end', () => {
      if (!exited) term.write('\x04');
    });
    stdin = input;
  }
  return {
    stdin,
    stdout,
    resize: async ({ cols, rows }) => {
      if (exited || !(cols > 0 && rows > 0)) return;
      try {
        term.resize(Math.trunc(cols), Math.trunc(rows));
      } catch {
        /* the terminal closed meanwhile */
      }
    },
    done,
    close: () => {
      if (!exited) killGroup(term.pid);
    },
  };
}
