/**
 * The streams of one process in a container, as Node streams: what a runtime's interactive exec or
 * attach gives (runtime-adapters/), a node agent passes on, and the API server carries to
 * kubectl over pods/exec and pods/attach (server/). One shape for all of them, so an answer
 * passes through each layer unchanged; no runtime's or transport's types appear in it.
 */
import type { Readable, Writable } from 'node:stream';

/** A terminal's size in characters (kubectl's resize messages). */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * Streams of one process in a container: an interactive exec (`ContainerRuntime.execStream`,
 * pods/exec) or the container's main process (`ContainerRuntime.attach`, pods/attach).
 */
export interface ContainerStreams {
  /** The process's stdin, when asked for; `end()` closes it (the process reads end of file). */
  stdin?: Writable;
  /** Its stdout; with a TTY, everything the terminal prints. Ends when the process (or the stream) ends. */
  stdout: Readable;
  /** Its stderr; absent with a TTY (a terminal has one output). */
  stderr?: Readable;
  /** Resizes the terminal (a no-op without one). */
  resize(size: TerminalSize): Promise<void>;
  /**
   * Settles when the streams are over: for an exec, with the command's exit code; for an attach,
   * with the container's exit code when it exited, or no code when the client detached.
   */
  done: Promise<{ exitCode?: number }>;
  /** Stops streaming (detaches; the client went away); an exec's command is killed where the runtime can (not on Docker). */
  close(): void;
}
