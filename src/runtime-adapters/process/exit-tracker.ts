/**
 * How the process runtime learns that a container's process ended: its own children by their
 * `exit` event, processes adopted from an earlier instance by polling /proc. Each exit is
 * recorded once in the container's record and reported once as a runtime `exit` event; every
 * record change of one container runs in order through {@link ExitTracker.serial}.
 */
import type { ChildProcess } from 'node:child_process';
import { rfc3339Nano } from '../../clock/time-format.js';
import { exitReason } from '../conventions.js';
import type { RuntimeEvent } from '../types.js';
import { isSameLiveProcess, procStat } from './proc.js';
import type { RecordStore } from './records.js';
import { signalExitCode } from './run-command.js';
import type { ContainerRecord } from './types.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Tracks the exits of one ProcessRuntime's containers. */
export class ExitTracker {
  /** Our own children, by container id: resolves once the exit is recorded and reported. */
  private readonly children = new Map<string, Promise<void>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly adopted = new Map<string, ContainerRecord>();
  private readonly reported = new Set<string>();
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: () => RecordStore,
    private readonly emit: (event: RuntimeEvent) => void,
    private readonly adoptedPollMs = 1000,
  ) {}

  /** Runs `fn` after every earlier serialised step of the same container. */
  serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  /**
   * Follows a child just spawned for container `id`; call it before any await, so that a process
   * that exits at once is not missed. Resolves once the exit is recorded and reported.
   */
  followChild(id: string, child: ChildProcess): Promise<void> {
    return this.followExit(
      id,
      new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signalExitCode(signal)))),
    );
  }

  /** Follows a process of container `id` whose exit code `exitCode` gives (a main process on a pty). */
  followExit(id: string, exitCode: Promise<number>): Promise<void> {
    return exitCode.then((code) => this.serial(id, () => this.recordExit(id, code)).catch(() => undefined));
  }

  /** Marks a started container as our child: waits for its exit use the `exited` promise, not polling. */
  own(id: string, exited: Promise<void>): void {
    this.children.set(id, exited);
  }

  /** Forgets a container being removed, once its own child's exit (if any) is recorded. */
  async forget(id: string): Promise<void> {
    await this.children.get(id);
    this.children.delete(id);
    this.adopted.delete(id);
    this.reported.delete(id);
  }

  /**
   * Records an exit (keeping a known exit code over an unknown one) and reports it once per
   * instance.
   */
  async recordExit(id: string, exitCode: number | undefined): Promise<void> {
    const rec = await this.records().getContainer(id);
    if (!rec) return;
    const better = rec.state !== 'exited' || (rec.exitCode === undefined && exitCode !== undefined);
    const finishedAt = rec.finishedAt ? new Date(rec.finishedAt) : new Date();
    if (better) {
      await this.records().putContainer({
        ...rec,
        state: 'exited',
        exitCode,
        reason: exitReason(exitCode),
        finishedAt: rfc3339Nano(finishedAt),
      });
    }
    this.adopted.delete(id);
    if (this.reported.has(id)) return;
    this.reported.add(id);
    const code = better ? exitCode : rec.exitCode;
    this.emit({ type: 'exit', containerId: id, labels: rec.labels, ...(code !== undefined ? { exitCode: code } : {}), at: finishedAt });
  }

  /** Waits up to `ms` for the container's process to end; true when it did. */
  async waitExit(rec: ContainerRecord, ms: number, killedCode?: number): Promise<boolean> {
    const own = this.children.get(rec.id);
    const deadline = Date.now() + ms;
    if (own) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
      const done = await Promise.race([own.then(() => true as const), timeout]);
      clearTimeout(timer);
      return done;
    }
    for (;;) {
      if (!isSameLiveProcess(await procStat(rec.pid as number), rec.pidStartTicks)) {
        await this.serial(rec.id, () => this.recordExit(rec.id, killedCode));
        return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
  }

  /**
   * The record as it stands, checking that a 'running' process still is (own children and
   * adopted ones): a dead one's exit is recorded first; a live adopted one is polled from now on.
   */
  async refresh(rec: ContainerRecord): Promise<ContainerRecord> {
    if (rec.state !== 'running' || rec.pid === undefined) return rec;
    const alive = isSameLiveProcess(await procStat(rec.pid), rec.pidStartTicks);
    const own = this.children.get(rec.id);
    if (alive) {
      if (!own) this.watchAdopted(rec);
      return rec;
    }
    if (own) await Promise.race([own, sleep(5000)]);
    else await this.serial(rec.id, () => this.recordExit(rec.id, undefined));
    return (await this.records().getContainer(rec.id)) ?? { ...rec, state: 'exited', reason: 'Unknown' };
  }

  /** Stops polling adopted processes; they are left running. */
  close(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    this.adopted.clear();
  }

  /** Polls adopted processes (not our children) so that their exits become events. */
  private watchAdopted(rec: ContainerRecord): void {
    this.adopted.set(rec.id, rec);
    if (this.poller) return;
    this.poller = setInterval(() => {
      for (const r of this.adopted.values()) void this.refresh(r).catch(() => undefined);
      if (this.adopted.size === 0 && this.poller) {
        clearInterval(this.poller);
        this.poller = undefined;
      }
    }, this.adoptedPollMs);
    this.poller.unref();
  }
}
