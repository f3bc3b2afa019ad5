/**
 * Types of the process runtime: its options and the JSON records it keeps per sandbox and
 * container in its state directory (what lets a new instance adopt running processes).
 */

/** Options of {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /**
   * Where records, logs and volumes live. A new ProcessRuntime over the same folder adopts
   * the processes the previous one started.
   * @default `<os.tmpdir()>/tugboat-process/<cluster name>` (the name given to `bind`, else 'default')
   */
  stateDir?: string;
  /** How often adopted processes (not children of this process) are checked for exit. @default 1000 */
  adoptedPollMs?: number;
  /**
   * The second octet of the pod addresses: each sandbox gets its own `127.<addressBlock>.x.y`
   * (Linux routes all of 127.0.0.0/8 to loopback). Give two runtimes over different state
   * directories different blocks to be sure their pods never share an address.
   * @default a hash of `stateDir` into 1..254
   */
  addressBlock?: number;
}

/** The record of one sandbox (a pod): a folder for its emptyDir volumes and its labels. */
export interface SandboxRecord {
  id: string;
  labels: Record<string, string>;
  state: 'ready' | 'notready';
  createdAt: string;
  /** The pod address (leased under `addresses/`); absent in records of older versions (127.0.0.1). */
  ip?: string;
}

/** The record of one container: how to run it, and what happened to it. */
export interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  /** Recorded only: the process runtime runs the command on the host, whatever the image. */
  image: string;
  labels: Record<string, string>;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdoutPath: string;
  stderrPath: string;
  /** Started with a stdin pipe, for attach (pod spec `stdin`). */
  stdin?: boolean;
  /** Close that pipe when the first attached client closes its stdin (`stdinOnce`). */
  stdinOnce?: boolean;
  /** Run the main process on a pty of the runtime (pod spec `tty`), when @lydell/node-pty loads. */
  tty?: boolean;
  state: 'created' | 'running' | 'exited';
  pid?: number;
  /** The process's start time in clock ticks after boot (/proc/<pid>/stat field 22): guards against pid reuse. */
  pidStartTicks?: number;
  exitCode?: number;
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}
