/**
 * Interactive exec and attach for the node agent: what a runtime's execStream/attach give, and a
 * stand-in for runtimes that only run commands to completion (no stdin, no TTY).
 */
import { Readable } from 'node:stream';
import { TugboatError } from '../model/errors.js';
import type { ContainerRuntime, ContainerStreams, StreamOptions } from '../runtime-adapters/types.js';

/** Options of an interactive exec (kubectl exec -i/-t). */
export interface ExecStreamOptions extends StreamOptions {
  /** The container's name; may be left out when the pod has one container. */
  container?: string;
}

/** Options of an attach (kubectl attach). */
export interface AttachOptions extends StreamOptions {
  /** The container's name; may be left out when the pod has one container. */
  container?: string;
}

/**
 * Runs `command` through the runtime's execStream; a runtime without one runs it through the
 * buffered exec when neither stdin nor a TTY is asked for (its output comes at the end).
 */
export async function openExec(
  runtime: ContainerRuntime,
  id: string,
  command: string[],
  options: StreamOptions,
): Promise<ContainerStreams> {
  if (runtime.execStream) return runtime.execStream(id, command, options);
  if (options.stdin || options.tty) {
    throw TugboatError.badRequest(
      `the ${runtime.name} runtime cannot exec with ${options.tty ? 'a TTY' : 'stdin'}: it runs commands to completion`,
    );
  }
  const result = runtime.exec(id, command);
  const stdout = new Readable({ read() {} });
  const stderr = new Readable({ read() {} });
  const done = result.then(
    (r) => {
      stdout.push(r.stdout);
      stdout.push(null);
      stderr.push(r.stderr);
      stderr.push(null);
      return { exitCode: r.exitCode };
    },
    (err: unknown) => {
      stdout.destroy();
      stderr.destroy();
      throw err;
    },
  );
  return { stdout, stderr, done, resize: async () => {}, close: () => {} };
}

/** Attaches through the runtime's attach; a runtime without one answers with an error naming it. */
export async function openAttach(runtime: ContainerRuntime, id: string, options: StreamOptions): Promise<ContainerStreams> {
  if (!runtime.attach) throw TugboatError.badRequest(`the ${runtime.name} runtime cannot attach to a container`);
  return runtime.attach(id, options);
}
