import { fieldError, TugboatError } from '../../model/errors.js';
import type { ExecResult } from '../types.js';
import { StreamDemuxer } from './demux.js';
import { toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';

/**
 * Runs a command in a running container through docker exec: stdout and stderr demuxed, the
 * exit code read from the exec's inspect. With `timeoutMs`, gives up with a Timeout error (the
 * command itself is not killed: Docker cannot kill an exec).
 */
export async function execInContainer(
  scope: DockerScope,
  id: string,
  command: string[],
  options: { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const subject = { kind: 'Container', name: id };
  if (command.length === 0) {
    throw TugboatError.invalid({ kind: 'Exec' }, id, [fieldError('command', 'must not be empty', 'FieldValueRequired')]);
  }
  let exec;
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    exec = await scope.docker.getContainer(id).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false });
    stream = (await exec.start({ hijack: true, stdin: false })) as typeof stream;
  } catch (err) {
    throw toTugboatError(err, 'exec in', subject);
  }
  const demux = new StreamDemuxer(false);
  const out: Buffer[] = [];
  const errOut: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      for (const f of demux.push(chunk)) (f.stream === 'stderr' ? errOut : out).push(f.data);
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout =
    options.timeoutMs !== undefined
      ? new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            stream.destroy?.();
            reject(new TugboatError('Timeout', `exec in container ${id} timed out after ${options.timeoutMs}ms: ${command.join(' ')}`));
          }, options.timeoutMs);
        })
      : undefined;
  try {
    await (timeout ? Promise.race([done, timeout]) : done);
  } catch (err) {
    throw toTugboatError(err, 'exec in', subject);
  } finally {
    if (timer) clearTimeout(timer);
  }
  let exitCode: number | null = null;
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running) {
      exitCode = info.ExitCode;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    exitCode: exitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(errOut).toString('utf8'),
  };
}
