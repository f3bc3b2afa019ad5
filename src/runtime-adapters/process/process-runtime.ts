/**
 * ProcessRuntime: containers as local child processes, as Nomad's raw_exec.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { open, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import { TugboatError, fieldError } from '../../model/errors.js';
import { rfc3339Nano } from '../../clock/time-format.js';
import { exitReason, hasLabels } from '../conventions.js';
import { eventsOf } from '../event-queue.js';
import { reclaimable, type ReclaimOptions } from '../instance.js';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ContainerStreams,
  ExecResult,
  FilesMount,
  ImageInfo,
  LogLine,
  LogOptions,
  ReclaimReport,
  RuntimeBinding,
  RuntimeEvent,
  SandboxConfig,
  SandboxStatus,
  StreamOptions,
} from '../types.js';
import { HOST_LOOPBACK, addressBlockFor, freeAddresses, isBlock } from './addresses.js';
import { logSizes, readLogs } from './log-files.js';
import { filesMountDir, materialiseMounts, writeFilesMount } from './mounts.js';
import { CLOCK_TICKS, isSameLiveProcess, procStat, rssBytes } from './proc.js';
import { RecordStore } from './records.js';
import { runCommand } from './run-command.js';
import { attachStreams, checkCommand, spawnStreams } from './streams.js';
import { type PtyModule, spawnTerminal } from './terminal.js';
import { type MainTerminal, optionalPty, startOnTerminal, ttyWarning } from './main-terminal.js';
import { ExitTracker } from './exit-tracker.js';
import type { ContainerRecord, ProcessRuntimeOptions, SandboxRecord } from './types.js';

/** A lease whose sandbox record is missing this long is the leftover of a crash. */
const STALE_LEASE_MS = 10_000;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

/**
 * A runtime that runs each container's `command` + `args` as a host process, for machines
 * without Docker and for the demo. Each sandbox gets its own loopback address
 * (127.<block>.x.y, see {@link ProcessRuntimeOptions.addressBlock}) as its pod IP, given to its
 * processes as `POD_IP`; but processes share the host's network, so a process must bind to
 * `$POD_IP` (then the replicas of a Deployment can all use one port), or to 0.0.0.0 with ports
 * that differ between pods. hostNetwork pods get 127.0.0.1. Honest limits: the image is only
 * recorded (ensureImage always succeeds); mounts are host folders exported as `TUGBOAT_VOLUME_<NAME>` env variables, not remapped;
 * the env is exactly the container's plus PATH and HOME; no resource limits or security
 * settings are applied; timings (grace periods) are real time. A new instance over the same
 * `stateDir` adopts running processes (pid and start time checked against reuse); the exit
 * code of an adopted process that dies is unknown: exitCode undefined, reason 'Unknown'.
 */
export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  private clusterName = 'default';
  private store: RecordStore | undefined;
  private readonly emitter = new EventEmitter();
  private readonly samples = new Map<string, { ticks: number; atMs: number }>();
  private readonly exits: ExitTracker;
  /** The stdin pipes of main processes started with `stdin` (for attach), by container id. */
  private readonly stdins = new Map<string, Writable>();
  /** The pty of each running `tty` main process this instance started, by container id. */
  private readonly terminals = new Map<string, MainTerminal>();

  constructor(private readonly options: ProcessRuntimeOptions = {}) {
    if (options.addressBlock !== undefined && !isBlock(options.addressBlock)) {
      throw TugboatError.invalid({ kind: 'ProcessRuntimeOptions' }, 'options', [
        fieldError('addressBlock', 'must be an integer in 1..254'),
      ]);
    }
    this.exits = new ExitTracker(
      () => this.records(),
      (e) => this.emit(e),
      options.adoptedPollMs,
    );
  }

  /** The folder of records, logs and volumes. */
  get stateDir(): string {
    return this.options.stateDir ?? join(defaultRoot(), this.clusterName.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  bind(binding: RuntimeBinding): void {
    if (!this.store) this.clusterName = binding.clusterName;
  }

  /** Always succeeds: processes run host commands, the image is only recorded. */
  async ensureImage(ref: string): Promise<ImageInfo> {
    return { ref, id: `process:${ref}` };
  }

  async runSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    if (!config?.labels || typeof config.labels !== 'object') {
      throw TugboatError.invalid({ kind: 'sandboxes' }, String(config?.podName), [fieldError('labels', 'must be a map of strings')]);
    }
    const id = `proc-sb-${randomUUID()}`;
    const ip = config.hostNetwork ? HOST_LOOPBACK : await this.leaseAddress(id);
    const record: SandboxRecord = { id, labels: { ...config.labels }, state: 'ready', createdAt: rfc3339Nano(Date.now()), ip };
    try {
      await this.records().putSandbox(record);
    } catch (err) {
      if (!config.hostNetwork) await this.records().releaseAddress(ip);
      throw err;
    }
    return toSandboxStatus(record);
  }

  async stopSandbox(id: string): Promise<void> {
    const s = await this.records().getSandbox(id);
    if (!s) return;
    for (const c of await this.records().containers()) if (c.sandboxId === id) await this.stopContainer(c.id, 0);
    await this.records().putSandbox({ ...s, state: 'notready' });
  }

  async removeSandbox(id: string): Promise<void> {
    for (const c of await this.records().containers()) if (c.sandboxId === id) await this.removeContainer(c.id);
    const s = await this.records().getSandbox(id);
    await this.records().removeSandbox(id);
    if (s?.ip && s.ip !== HOST_LOOPBACK && (await this.records().addressLease(s.ip))?.sandboxId === id) {
      await this.records().releaseAddress(s.ip);
    }
  }

  async listSandboxes(labels?: Record<string, string>): Promise<SandboxStatus[]> {
    return (await this.records().sandboxes()).filter((s) => hasLabels(s.labels, labels)).map(toSandboxStatus);
  }

  /** `tty` when @lydell/node-pty does not load: the container then runs on pipes. */
  unsupported(config: ContainerConfig): string[] {
    const warning = ttyWarning(config?.tty);
    return warning ? [warning] : [];
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const argv = [...(config?.command ?? []), ...(config?.args ?? [])];
    const causes = [];
    if (typeof config?.name !== 'string' || !config.name) causes.push(fieldError('name', 'must be a non-empty string'));
    if (argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      causes.push(fieldError('command', 'the process runtime needs a command (images have no entrypoint here)'));
    }
    if (!config?.labels || typeof config.labels !== 'object') causes.push(fieldError('labels', 'must be a map of strings'));
    if (causes.length) throw TugboatError.invalid({ kind: 'containers' }, String(config?.name), causes);
    const sandbox = await this.records().getSandbox(sandboxId);
    if (!sandbox) throw TugboatError.notFound({ kind: 'sandboxes' }, sandboxId);
    const id = `proc-${randomUUID()}`;
    const dir = this.records().containerDir(id);
    const volumes = await materialiseMounts(config.mounts ?? [], { sandbox: this.records().sandboxDir(sandboxId), container: dir });
    const base: Record<string, string> = {};
    if (process.env.PATH !== undefined) base.PATH = process.env.PATH;
    if (process.env.HOME !== undefined) base.HOME = process.env.HOME;
    const record: ContainerRecord = {
      id,
      sandboxId,
      name: config.name,
      image: config.image,
      labels: { ...config.labels },
      argv,
      env: { ...base, POD_IP: sandbox.ip ?? HOST_LOOPBACK, ...volumes, ...config.env },
      cwd: config.workingDir ?? dir,
      stdoutPath: join(dir, 'stdout.log'),
      stderrPath: join(dir, 'stderr.log'),
      ...(config.stdin ? { stdin: true, stdinOnce: config.stdinOnce ?? false } : {}),
      ...(config.tty ? { tty: true } : {}),
      state: 'created',
      createdAt: rfc3339Nano(Date.now()),
    };
    await this.records().putContainer(record);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    await this.exits.serial(id, async () => {
      const rec = await this.mustGet(id);
      if (rec.state !== 'created') throw TugboatError.badRequest(`container ${id} is ${rec.state}, cannot start it`);
      const pty = rec.tty ? optionalPty() : undefined;
      const started = pty ? await this.startOnPty(rec, pty) : await this.startWithPipes(rec);
      if ('failed' in started) {
        await this.records().putContainer({
          ...rec,
          state: 'exited',
          exitCode: 128,
          reason: 'StartError',
          finishedAt: rfc3339Nano(Date.now()),
        });
        throw TugboatError.badRequest(`cannot start container ${id} (${rec.argv[0]}): ${started.failed}`);
      }
      this.exits.own(id, started.exited);
      const stat = await procStat(started.pid);
      const startedAt = new Date();
      await this.records().putContainer({
        ...rec,
        state: 'running',
        pid: started.pid,
        pidStartTicks: stat?.startTicks,
        startedAt: rfc3339Nano(startedAt),
      });
      this.emit({ type: 'start', containerId: id, labels: rec.labels, at: startedAt });
    });
  }

  /** Starts a main process with its output into the log files and, with `stdin`, a stdin pipe kept for attach. */
  private async startWithPipes(rec: ContainerRecord): Promise<{ pid: number; exited: Promise<void> } | { failed: string }> {
    const out = await open(rec.stdoutPath, 'a');
    const err = await open(rec.stderrPath, 'a');
    let child: ChildProcess;
    let exited: Promise<void> = Promise.resolve();
    let failed: Promise<string> = Promise.resolve('');
    try {
      const input = rec.stdin ? 'pipe' : 'ignore';
      child = spawn(rec.argv[0], rec.argv.slice(1), { cwd: rec.cwd, env: rec.env, detached: true, stdio: [input, out.fd, err.fd] });
      // Listen before any await: a process that exits at once must not be missed.
      const c = child;
      failed = new Promise<string>((r) => c.once('error', (e) => r(e.message)));
      if (c.pid !== undefined) exited = this.exits.followChild(rec.id, c);
    } finally {
      await out.close();
      await err.close();
    }
    if (child.pid === undefined) return { failed: await failed };
    child.unref();
    if (child.stdin) this.keepStdin(rec.id, child);
    return { pid: child.pid, exited };
  }

  /**
   * Starts a `tty` main process on a pty of this instance (main-terminal.ts): its output goes to
   * the stdout log file and to attached clients; it holds this Node process open while it runs.
   */
  private async startOnPty(rec: ContainerRecord, pty: PtyModule): Promise<{ pid: number; exited: Promise<void> } | { failed: string }> {
    let term: MainTerminal;
    try {
      term = await startOnTerminal(rec.argv, { env: rec.env, cwd: rec.cwd, logPath: rec.stdoutPath }, pty);
    } catch (err) {
      return { failed: (err as Error).message };
    }
    this.terminals.set(rec.id, term);
    const exited = this.exits.followExit(rec.id, term.exited).finally(() => this.terminals.delete(rec.id));
    return { pid: term.pid, exited };
  }

  async stopContainer(id: string, graceMs: number): Promise<void> {
    const rec = await this.records().getContainer(id);
    if (!rec || (await this.status(rec)).state !== 'running' || rec.pid === undefined) return;
    signalGroup(rec.pid, 'SIGTERM');
    if (!(await this.exits.waitExit(rec, Math.max(0, graceMs)))) {
      signalGroup(rec.pid, 'SIGKILL');
      await this.exits.waitExit(rec, 30_000, 137);
    }
    signalGroup(rec.pid, 'SIGKILL'); // leftovers of the group, if the leader exited without them
  }

  async removeContainer(id: string): Promise<void> {
    const rec = await this.records().getContainer(id);
    if (!rec) return;
    await this.stopContainer(id, 0);
    await this.exits.forget(id);
    this.samples.delete(id);
    await this.exits.serial(id, () => this.records().removeContainer(id));
    this.emit({ type: 'remove', containerId: id, labels: rec.labels, at: new Date() });
  }

  async listContainers(labels?: Record<string, string>): Promise<ContainerStatus[]> {
    const recs = (await this.records().containers()).filter((c) => hasLabels(c.labels, labels));
    return Promise.all(recs.map((r) => this.status(r)));
  }

  async inspectContainer(id: string): Promise<ContainerStatus> {
    return this.status(await this.mustGet(id));
  }

  async *logs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const rec = await this.mustGet(id);
    const running = async (): Promise<boolean> => {
      const now = await this.records().getContainer(id);
      return now !== undefined && (await this.status(now)).state !== 'exited';
    };
    yield* readLogs({ stdout: rec.stdoutPath, stderr: rec.stderrPath }, options, running);
  }

  async exec(id: string, command: string[], options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const rec = await this.mustGet(id);
    if ((await this.status(rec)).state !== 'running') throw TugboatError.badRequest(`container ${id} is not running`);
    if (!Array.isArray(command) || command.length === 0) {
      throw TugboatError.invalid({ kind: 'containers' }, id, [fieldError('command', 'must be a non-empty array of strings')]);
    }
    return runCommand(command, { env: rec.env, cwd: rec.cwd, timeoutMs: options.timeoutMs });
  }

  /**
   * Runs a command in a running container, with the container's env and working directory: with
   * pipes for its stdin, stdout and stderr, or with `tty` on a new pseudo-terminal (terminal.ts;
   * it needs the optional dependency @lydell/node-pty, without it a TTY is refused naming it).
   */
  async execStream(id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
    const rec = await this.mustGet(id);
    if ((await this.status(rec)).state !== 'running') throw TugboatError.badRequest(`container ${id} is not running`);
    checkCommand(command);
    const where = { env: rec.env, cwd: rec.cwd };
    return options.tty ? spawnTerminal(command, where, options) : spawnStreams(command, where, options);
  }

  /**
   * Follows a running container's output from now on and writes to its stdin when it was started
   * with `stdin` by this instance (an adopted process's stdin pipe is gone with the instance that
   * started it). A `tty` container started on a pty joins its terminal: raw output, typed input,
   * resizes; other containers give whole lines, as their log files get them.
   */
  async attach(id: string, options: StreamOptions): Promise<ContainerStreams> {
    const rec = await this.mustGet(id);
    if ((await this.status(rec)).state !== 'running') throw TugboatError.badRequest(`container ${id} is not running`);
    const term = this.terminals.get(id);
    if (term) {
      if (options.stdin && !rec.stdin)
        throw TugboatError.badRequest(`container ${id} has no stdin to attach to: it was not started with stdin: true`);
      return term.attach(options, rec.stdinOnce ?? false);
    }
    const running = async (): Promise<boolean> => {
      const now = await this.records().getContainer(id);
      return now !== undefined && (await this.status(now)).state !== 'exited';
    };
    const files = { stdout: rec.stdoutPath, stderr: rec.stderrPath };
    const from = await logSizes(files);
    return attachStreams(
      id,
      {
        stdin: this.stdins.get(id),
        stdinOnce: rec.stdinOnce ?? false,
        follow: (signal) => readLogs(files, { follow: true, signal }, running, from),
        exitCode: async () => {
          const now = await this.records().getContainer(id);
          return now && (await this.status(now)).state === 'exited' ? now.exitCode : undefined;
        },
      },
      options,
    );
  }

  /** Keeps a started main process's stdin pipe for attach, without it holding this process open. */
  private keepStdin(id: string, child: ChildProcess): void {
    const pipe = child.stdin;
    if (!pipe) return;
    (pipe as unknown as { unref?: () => void }).unref?.();
    pipe.on('error', () => undefined);
    this.stdins.set(id, pipe);
    child.once('exit', () => this.stdins.delete(id));
  }

  /** Rewrites a files mount in the container's folder (the `..data` swap); the process sees it at the same path. */
  async updateFiles(id: string, mount: FilesMount): Promise<void> {
    await this.mustGet(id);
    await writeFilesMount(filesMountDir(this.records().containerDir(id), mount.volume), mount);
  }

  async stats(id: string): Promise<ContainerStats> {
    const rec = await this.mustGet(id);
    const at = new Date();
    const stat = rec.pid === undefined ? undefined : await procStat(rec.pid);
    if (rec.pid === undefined || !isSameLiveProcess(stat, rec.pidStartTicks) || !stat) return { cpuMillis: 0, memoryBytes: 0, at };
    const prev = this.samples.get(id) ?? { ticks: 0, atMs: Date.parse(rec.startedAt ?? rec.createdAt) };
    this.samples.set(id, { ticks: stat.cpuTicks, atMs: at.getTime() });
    const cpuMs = ((stat.cpuTicks - prev.ticks) / CLOCK_TICKS) * 1000;
    const cpuMillis = Math.max(0, Math.round((cpuMs / Math.max(1, at.getTime() - prev.atMs)) * 1000));
    return { cpuMillis, memoryBytes: await rssBytes(rec.pid), at };
  }

  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent> {
    return eventsOf<RuntimeEvent>(this.emitter, signal);
  }

  /** The sandbox's own loopback address (its pod IP) and the port as is. */
  endpointFor(sandbox: SandboxStatus, port: number): { host: string; port: number } {
    return { host: sandbox.ip || HOST_LOOPBACK, port };
  }

  /**
   * Removes what clusters whose owner is gone left in the state folders: their processes are
   * killed (pid and start time checked) and their records, logs and volumes removed, whatever
   * their cluster name. With the default `stateDir`, every folder under
   * `<tmpdir>/tugboat-process/` is looked at (a crashed cluster restarted under another name
   * included); with an explicit one, only it. Folders left empty are removed. "Gone" is decided
   * from the owner labels, as for Docker (see the README). A Cluster calls it before its first
   * node on this runtime starts.
   */
  async reclaim(options: ReclaimOptions = {}): Promise<ReclaimReport> {
    const report: ReclaimReport = { containers: 0, other: 0 };
    const roots = this.options.stateDir ? [this.options.stateDir] : await subdirs(defaultRoot());
    for (const root of roots) {
      const rt = root === this.stateDir ? this : new ProcessRuntime({ stateDir: root });
      try {
        for (const c of await rt.listContainers()) {
          if (!reclaimable(c.labels, c.createdAt, options)) continue;
          await rt.removeContainer(c.id);
          report.containers++;
        }
        for (const sb of await rt.listSandboxes()) {
          if (!reclaimable(sb.labels, sb.createdAt, options)) continue;
          await rt.removeSandbox(sb.id);
          report.containers++;
        }
        if (rt !== this && (await rt.removeIfUnused())) report.other++;
      } finally {
        if (rt !== this) rt.exits.close();
      }
    }
    return report;
  }

  /**
   * Stops watching adopted processes; running processes are left running. When the state
   * folder holds no sandbox or container any more, it is removed (and, for the default
   * folder, `<tmpdir>/tugboat-process` once empty): nothing is left in the temp folder.
   */
  async close(): Promise<void> {
    this.exits.close();
    if (this.store) await this.removeIfUnused().catch(() => false);
  }

  /** Removes the state folder if no sandbox or container record is in it. */
  private async removeIfUnused(): Promise<boolean> {
    const records = this.records();
    if ((await records.sandboxes()).length > 0 || (await records.containers()).length > 0) return false;
    await rm(this.stateDir, { recursive: true, force: true });
    this.store = undefined;
    if (!this.options.stateDir) await rmdir(dirname(this.stateDir)).catch(() => undefined);
    return true;
  }

  /**
   * Leases the first address of the block that no live sandbox holds. A lease left by a crash
   * (its sandbox record never written or already removed) is taken back once it is stale.
   */
  private async leaseAddress(sandboxId: string): Promise<string> {
    const block = this.options.addressBlock ?? addressBlockFor(this.stateDir);
    const live = await this.records().sandboxes();
    const taken = new Set(live.map((s) => s.ip ?? HOST_LOOPBACK));
    const holders = new Set(live.map((s) => s.id));
    for (const ip of freeAddresses(block, taken)) {
      if (await this.records().leaseAddress(ip, sandboxId)) return ip;
      const lease = await this.records().addressLease(ip);
      if (lease && !holders.has(lease.sandboxId) && Date.now() - lease.sinceMs > STALE_LEASE_MS) {
        if (!(await this.records().getSandbox(lease.sandboxId))) {
          await this.records().releaseAddress(ip);
          if (await this.records().leaseAddress(ip, sandboxId)) return ip;
        }
      }
    }
    throw new TugboatError('ServiceUnavailable', `no free pod address left in 127.${block}.0.0/16`);
  }

  private records(): RecordStore {
    return (this.store ??= new RecordStore(this.stateDir));
  }

  private async mustGet(id: string): Promise<ContainerRecord> {
    const rec = await this.records().getContainer(id);
    if (!rec) throw TugboatError.notFound({ kind: 'containers' }, id);
    return rec;
  }

  private emit(event: RuntimeEvent): void {
    this.emitter.emit('event', event);
  }

  /** The status of a record, checking first that a 'running' process still is. */
  private async status(rec: ContainerRecord): Promise<ContainerStatus> {
    return toContainerStatus(await this.exits.refresh(rec));
  }
}

/** The parent of the default state folders: `<tmpdir>/tugboat-process`. */
function defaultRoot(): string {
  return join(tmpdir(), 'tugboat-process');
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

function toSandboxStatus(s: SandboxRecord): SandboxStatus {
  return { id: s.id, ip: s.ip ?? HOST_LOOPBACK, state: s.state, labels: { ...s.labels }, createdAt: new Date(s.createdAt) };
}

function toContainerStatus(r: ContainerRecord): ContainerStatus {
  const s: ContainerStatus = {
    id: r.id,
    sandboxId: r.sandboxId,
    name: r.name,
    image: r.image,
    imageId: `process:${r.image}`,
    state: r.state,
    createdAt: new Date(r.createdAt),
    labels: { ...r.labels },
  };
  if (r.state === 'exited') {
    if (r.exitCode !== undefined) s.exitCode = r.exitCode;
    s.reason = r.reason ?? exitReason(r.exitCode);
  }
  if (r.startedAt) s.startedAt = new Date(r.startedAt);
  if (r.finishedAt) s.finishedAt = new Date(r.finishedAt);
  return s;
}
