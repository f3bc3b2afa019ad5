/**
 * FIFOs between a containerd shim and this process: containerd 1.6 tasks and exec processes take
 * their stdin, stdout and stderr as FIFO paths that the client makes, reads and writes.
 */
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { promisify } from 'node:util';

/** Makes FIFOs at the given paths (0600), replacing whatever is there. */
export async function makeFifos(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true })));
  await promisify(execFile)('mkfifo', ['-m', '600', ...paths]);
}

/** The reading end of a FIFO, as a stream that ends once every writer has closed it. */
export interface FifoReader {
  stream: Socket;
  /**
   * Closes the writer this process held so that the stream does not end before the shim opens
   * its own (call once the task or exec process is created).
   */
  release(): void;
}

/**
 * Opens a FIFO for reading without blocking, holding a writer of its own until `release()`
 * when `hold` is true (a new task: the shim opens its end during the create call). An adopted
 * task's FIFO needs no hold (its shim holds it open).
 */
export function openFifoReader(path: string, hold: boolean): FifoReader {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let writer: number | undefined = hold ? openSync(path, constants.O_WRONLY | constants.O_NONBLOCK) : undefined;
  const stream = new Socket({ fd, readable: true, writable: false });
  const release = (): void => {
    if (writer === undefined) return;
    closeSync(writer);
    writer = undefined;
  };
  stream.once('close', release);
  return { stream, release };
}

/**
 * Opens a FIFO for writing without blocking: a process's stdin, once the shim has opened its
 * reading end (after the task or exec process started, as containerd's cio opens writers after
 * Start; before that, the open fails with ENXIO). `end()` flushes and closes this writer.
 */
export function openFifoWriter(path: string): Socket {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const stream = new Socket({ fd, readable: false, writable: true });
  stream.on('error', () => undefined); // EPIPE once the shim let go (the process exited)
  return stream;
}

/**
 * Whether this process has the FIFO at `path` open already (its /proc/self/fd links): another
 * runtime object of this process pumps it, and a second reader would split its output.
 */
export function openInThisProcess(path: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}
