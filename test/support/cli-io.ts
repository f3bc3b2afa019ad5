import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/types.js';

/** A CliIo whose output the test reads back, and the controller that stops the command. */
export interface TestIo {
  io: CliIo;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Aborts the io's signal, as Ctrl-C does. */
  interrupt(): void;
}

/** A CliIo over in-memory streams (not TTYs unless `tty`), with `env` as the environment. */
export function testIo(env: Record<string, string | undefined> = {}, tty = false): TestIo {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const controller = new AbortController();
  return {
    io: { stdout, stderr, env, signal: controller.signal },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    interrupt: () => controller.abort('SIGINT'),
  };
}
