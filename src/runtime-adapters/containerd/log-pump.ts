/**
 * The log pump of one container: reads its task's stdout and stderr FIFOs and appends each line
 * to the container's log file in the CRI format, as containerd's CRI plugin does for the kubelet.
 * It runs in this process (containerd 1.6 has no log driver that writes CRI logs), from task
 * creation until both streams end (the task exited) or the runtime closes.
 */
import { EventEmitter } from 'eventemitter3';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ChunkLines, formatCriLine } from './cri-log.js';
import { makeFifos, openFifoReader, type FifoReader } from './fifo.js';

/** The files of a container's output: its FIFOs and its log file. */
export interface LogPaths {
  stdout: string;
  stderr: string;
  log: string;
}

/** The output paths in a container's folder. */
export function logPaths(dir: string): LogPaths {
  return { stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr'), log: path.join(dir, 'container.log') };
}

/**
 * Events of a LogPump: `data` with each chunk as it is read (what attach tees from: a second
 * reader of a FIFO would split its bytes), `written` after each line reaches the file, `end`
 * once both streams ended.
 */
interface PumpEvents {
  data: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  written: () => void;
  end: () => void;
}

/** Pumps a container's FIFOs into its CRI log file. */
export class LogPump extends EventEmitter<PumpEvents> {
  /** Resolves once both streams ended and the file is flushed. */
  readonly done: Promise<void>;
  private readonly readers: FifoReader[] = [];
  private readonly file: WriteStream;
  private ended = false;

  private constructor(
    readonly paths: LogPaths,
    hold: boolean,
  ) {
    super();
    this.file = createWriteStream(paths.log, { flags: 'a', mode: 0o600 });
    const streams = (['stdout', 'stderr'] as const).map((name) => this.pipe(name, hold));
    this.done = Promise.all(streams).then(
      () =>
        new Promise<void>((resolve) => {
          this.file.end(() => resolve());
        }),
    );
    void this.done.finally(() => {
      this.ended = true;
      this.emit('end');
    });
  }

  /** True once both streams ended. */
  get finished(): boolean {
    return this.ended;
  }

  /** Makes the FIFOs of a new task and starts reading them (holding them open until `release`). */
  static async forNewTask(paths: LogPaths): Promise<LogPump> {
    await makeFifos([paths.stdout, paths.stderr]);
    return new LogPump(paths, true);
  }

  /** Reads the FIFOs of a running task made earlier (an adopted container). */
  static adopt(paths: LogPaths): LogPump {
    return new LogPump(paths, false);
  }

  /** Lets the streams end when the shim closes them (call once the task is created). */
  release(): void {
    for (const r of this.readers) r.release();
  }

  /** Stops reading (the runtime closes, or the container is removed). */
  close(): void {
    for (const r of this.readers) {
      r.release();
      r.stream.destroy();
    }
  }

  private pipe(name: 'stdout' | 'stderr', hold: boolean): Promise<void> {
    const reader = openFifoReader(this.paths[name], hold);
    this.readers.push(reader);
    const lines = new ChunkLines();
    const write = (all: string[]) => {
      if (all.length === 0) return;
      const at = new Date();
      this.file.write(all.map((l) => formatCriLine(name, l, at)).join(''), () => this.emit('written'));
    };
    return new Promise<void>((resolve) => {
      reader.stream.on('data', (chunk: Buffer) => {
        this.emit('data', name, chunk);
        write(lines.push(chunk));
      });
      reader.stream.on('error', () => undefined);
      reader.stream.on('close', () => {
        write(lines.flush());
        resolve();
      });
    });
  }
}
