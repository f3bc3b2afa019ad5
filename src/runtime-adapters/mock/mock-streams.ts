/**
 * Interactive exec and attach on the mock runtime: the image's `interactive` and `attach`
 * handlers get the process's streams; without them an exec answers as its `exec` handler does
 * (output, then the exit code) and an attach prints nothing until the container exits.
 */
import { PassThrough } from 'node:stream';
import type { ContainerStreams, StreamOptions, TerminalSize } from '../types.js';
import { nextChange, type MockContainer } from './mock-container.js';
import type { MockProcessIO } from './types.js';

function session(options: StreamOptions, run: (io: MockProcessIO) => Promise<number | undefined>): ContainerStreams {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = options.tty ? stdout : new PassThrough();
  const abort = new AbortController();
  const resizes: TerminalSize[] = [];
  if (!options.stdin) stdin.end();
  const io: MockProcessIO = { stdin, stdout, stderr, tty: options.tty, resizes, signal: abort.signal };
  const done = (async () => {
    try {
      return { exitCode: await run(io) };
    } finally {
      stdout.end();
      if (stderr !== stdout) stderr.end();
    }
  })();
  return {
    ...(options.stdin ? { stdin } : {}),
    stdout,
    ...(options.tty ? {} : { stderr }),
    resize: async (size) => {
      resizes.push({ ...size });
    },
    done,
    close: () => abort.abort(),
  };
}

/** An exec with streams in a running mock container. */
export function mockExecStream(c: MockContainer, command: string[], options: StreamOptions): ContainerStreams {
  return session(options, async (io) => {
    const handler = c.behavior.interactive;
    if (handler) return handler(command, io);
    const r = c.behavior.exec?.(command) ?? { exitCode: 0, stdout: '', stderr: '' };
    io.stdout.write(r.stdout);
    io.stderr.write(r.stderr);
    return r.exitCode;
  });
}

/** An attach to a running mock container: its `attach` handler runs until the container exits or the client detaches. */
export function mockAttach(c: MockContainer, options: StreamOptions): ContainerStreams {
  return session(options, async (io) => {
    const handler = c.behavior.attach;
    const exited = (async () => {
      while (c.state === 'running' && !c.removed && !io.signal.aborted) await nextChange(c, io.signal);
    })();
    if (handler) await Promise.race([Promise.resolve(handler(io)), exited]);
    else await exited;
    return c.state === 'exited' && !io.signal.aborted ? c.exitCode : undefined;
  });
}
