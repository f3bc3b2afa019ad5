/**
 * Public types of the mock container runtime: how fake images behave and what tests can ask it.
 */
import type { Clock } from '../../clock/types.js';
import type { Readable, Writable } from 'node:stream';
import type { ContainerStatus, ExecResult, TerminalSize } from '../types.js';

/** A mock process's streams, as {@link MockImageBehavior.interactive} and `attach` handlers get them. */
export interface MockProcessIO {
  /** What the client writes; ends when it closes its stdin (at once when it asked for none). */
  stdin: Readable;
  stdout: Writable;
  /** With a TTY, the same stream as stdout. */
  stderr: Writable;
  tty: boolean;
  /** Every terminal size the client sent, in order. */
  resizes: TerminalSize[];
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * How a fake image behaves in {@link MockRuntime}. Every duration is in milliseconds of the
 * cluster's clock, so with a FakeClock nothing happens until `clock.advance()`.
 */
export interface MockImageBehavior {
  /** Time between startContainer and the container running. @default 0 */
  startupMs?: number;
  /** Time after start before http/tcp probes succeed. @default 0 */
  readyAfterMs?: number;
  /** The container exits on its own this long after it started. @default never */
  exitAfterMs?: number;
  /** The exit code when it exits on its own. @default 0 */
  exitCode?: number;
  /** Pulling the image fails with this message (ErrImagePull). */
  pullError?: string;
  /** Lines the container prints to stdout when it starts. */
  logs?: string[];
  /** Answers `exec` and exec probes. @default exit code 0, no output */
  exec?: (command: string[]) => ExecResult;
  /**
   * Runs an interactive exec (execStream): read `io.stdin`, write `io.stdout`, return the exit
   * code. @default answers as `exec`, then exits
   */
  interactive?: (command: string[], io: MockProcessIO) => number | Promise<number>;
  /**
   * What an attach to the main process sees: runs until it returns, the container exits or the
   * client detaches. @default no output until the container exits
   */
  attach?: (io: MockProcessIO) => void | Promise<void>;
  /** The container ignores SIGTERM: stop waits for the whole grace period, then kills it (137). */
  ignoresTerm?: boolean;
  /** Time it takes to exit after SIGTERM (killed with 137 if longer than the grace period). @default 0 */
  stopMs?: number;
  /** The exit code after SIGTERM. @default 143 (128 + SIGTERM, as a process without a handler) */
  termExitCode?: number;
  /** Resource usage reported by `stats`. @default 0 millicores, 0 bytes */
  usage?: { cpuMillis: number; memoryBytes: number };
  /** The image is on every node from the start (policy Never succeeds without a pull). @default false */
  preloaded?: boolean;
}

/** Options of {@link MockRuntime}. */
export interface MockRuntimeOptions {
  /** Unknown images fail to pull (ErrImagePull) instead of behaving as the default. @default false */
  strictImages?: boolean;
  /** The clock to follow before `bind` is called. @default a RealClock */
  clock?: Clock;
  /** What calls about a frozen node's containers do: fail at once, or hang until unfreeze. @default 'fail' */
  frozenCalls?: 'fail' | 'hang';
  /** Time a pull takes. @default 0 */
  pullMs?: number;
}

/** Picks containers of a pod (by namespace and pod name), optionally one container by name. */
export interface MockPodSelector {
  namespace: string;
  pod: string;
  container?: string;
}

/** A snapshot of one mock container, as {@link MockRuntime.containers} returns. */
export interface MockContainerInfo extends ContainerStatus {
  namespace: string;
  pod: string;
  podUid: string;
  node: string;
}

/** Counters of runtime calls, for tests that check no duplicate work was done. */
export interface MockCallCounters {
  pulls: number;
  sandboxes: number;
  creates: number;
  starts: number;
  stops: number;
  removes: number;
  execs: number;
  probes: number;
}
