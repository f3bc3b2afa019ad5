/**
 * Interactive exec and attach on Docker: the hijacked connection of `exec start` or
 * `containers/{id}/attach`, split into the {@link ContainerStreams} of the runtime contract.
 */
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { fieldError, TugboatError } from '../../model/errors.js';
import type { ContainerStreams, StreamOptions, TerminalSize } from '../types.js';
import { StreamDemuxer } from './demux.js';
import { toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';

/**
 * Splits a hijacked connection: stdout/stderr from its bytes (demultiplexed without a TTY), and
 * a stdin whose end half-closes the connection (Docker then closes the process's stdin).
 */
function splitConnection(
  socket: Duplex,
  options: StreamOptions,
  resize: (size: TerminalSize) => Promise<void>,
  exitCode: () => Promise<number | undefined>,
): ContainerStreams {
  const stdout = new PassThrough();
  const stderr = options.tty ? undefined : new PassThrough();
  const demux = new StreamDemuxer(options.tty);
  socket.on('data', (chunk: Buffer) => {
    for (const f of demux.push(chunk)) (f.stream === 'stderr' && stderr ? stderr : stdout).write(f.data);
  });
  let stdin: PassThrough | undefined;
  if (options.stdin) {
    const input = new PassThrough();
    input.on('data', (d: Buffer) => socket.write(d));
    input.on('end', () => socket.end());
    stdin = input;
  }
  const ended = new Promise<void>((resolve) => {
    socket.once('end', resolve);
    socket.once('close', resolve);
    socket.once('error', resolve);
  });
  const done = ended.then(async () => {
    stdout.end();
    stderr?.end();
    stdin?.destroy();
    return { exitCode: await exitCode() };
  });
  return { stdin, stdout, stderr, resize, done, close: () => socket.destroy() };
}

/** Polls a finished exec's inspect for its exit code (Docker sets it just after the stream ends). */
async function execExitCode(inspect: () => Promise<{ Running: boolean; ExitCode: number | null }>): Promise<number | undefined> {
  for (let i = 0; i < 100; i++) {
    const info = await inspect().catch(() => undefined);
    if (!info) return undefined;
    if (!info.Running) return info.ExitCode ?? undefined;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

/** `docker exec -i/-t`: a command in a running container, with its streams as they come. */
export async function execStream(scope: DockerScope, id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
  if (!Array.isArray(command) || command.length === 0) {
    throw TugboatError.invalid({ kind: 'Exec' }, id, [fieldError('command', 'must not be empty', 'FieldValueRequired')]);
  }
  try {
    const exec = await scope.docker.getContainer(id).exec({
      Cmd: command,
      AttachStdin: options.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
    });
    const socket = (await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty })) as Duplex;
    return splitConnection(
      socket,
      options,
      async ({ cols, rows }) => {
        if (options.tty) await exec.resize({ h: rows, w: cols }).catch(() => undefined);
      },
      () => execExitCode(() => exec.inspect()),
    );
  } catch (err) {
    throw toTugboatError(err, 'exec in', { kind: 'Container', name: id });
  }
}

/**
 * `docker attach`: the main process's output from now on, and its stdin when the container was
 * created with OpenStdin (pod spec `stdin`). Ends when the container exits (with its exit code)
 * or the client detaches.
 */
export async function attachContainer(scope: DockerScope, id: string, options: StreamOptions): Promise<ContainerStreams> {
  const container = scope.docker.getContainer(id);
  try {
    const info = await container.inspect();
    if (!info.State.Running) throw TugboatError.badRequest(`container ${id} is not running`);
    if (options.stdin && !info.Config.OpenStdin) {
      throw TugboatError.badRequest(`container ${id} was not created with stdin open (pod spec stdin: true)`);
    }
    const tty = info.Config.Tty;
    const socket = (await container.attach({ hijack: true, stream: true, stdin: options.stdin, stdout: true, stderr: true })) as Duplex;
    let detached = false;
    const streams = splitConnection(
      socket,
      { stdin: options.stdin, tty },
      async ({ cols, rows }) => {
        if (tty) await container.resize({ h: rows, w: cols }).catch(() => undefined);
      },
      async () => {
        if (detached) return undefined;
        const now = await container.inspect().catch(() => undefined);
        return now && !now.State.Running ? now.State.ExitCode : undefined;
      },
    );
    return {
      ...streams,
      close: () => {
        detached = true;
        streams.close();
      },
    };
  } catch (err) {
    throw toTugboatError(err, 'attach to', { kind: 'Container', name: id });
  }
}
