/**
 * The identity of a running cluster on its runtimes, and how another process tells whether
 * that cluster is still alive. Runtime-neutral: every adapter stamps these labels and asks
 * {@link ownerState} before it touches something it did not make itself.
 *
 * How "gone" is decided (the same for Docker, processes and any runtime):
 * - every sandbox, container, network, volume and state folder of a cluster carries its
 *   instance id and its owner: host name, boot id, pid namespace, pid, the process's start
 *   time, and the path of a record file the instance holds while it runs;
 * - an owner on this machine (same boot id and pid namespace) is gone when its process is
 *   gone (no such pid, or a pid reused by a process that started at another time: this is what
 *   survives a SIGKILL), or when its record file no longer exists (the cluster stopped, though
 *   its process lives on);
 * - except a resumable owner (a lone node agent, whose identity its Node keeps) whose process
 *   died without releasing its record: that is 'unknown' (kept for its restart to adopt);
 * - an owner with this host name but another boot id is gone (the machine rebooted);
 * - any other owner (another machine or another pid namespace sharing the daemon) cannot be
 *   checked from here and counts as alive: only an explicit reclaim with `olderThan` removes
 *   what it left.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RUNTIME_LABELS } from './types.js';

/** Who runs a cluster instance: what another process needs to tell whether it still runs. */
export interface InstanceOwner {
  /** os.hostname() of the owner. */
  host: string;
  /** The Linux boot id (/proc/sys/kernel/random/boot_id); '' where there is none. */
  boot: string;
  /** The owner's pid namespace (/proc/self/ns/pid); '' where unknown. */
  pidns: string;
  pid: number;
  /** The process's start time in clock ticks after boot (/proc/<pid>/stat field 22); 0 where unknown. */
  start: number;
  /** The record file the instance holds while it runs. */
  record: string;
  /**
   * The identity is kept where a restart of this owner finds it (a lone node agent's Node): when
   * the process dies without releasing it (a SIGKILL), what it made waits for that restart to
   * adopt it and counts as 'unknown' to everyone else, not 'gone'; only a reclaim with
   * `olderThanMs` removes it. Released (a clean stop), it is gone as any owner's.
   */
  resumable?: boolean;
}

/** What {@link ownerState} can say about the owner of a runtime object. */
export type OwnerState = 'self' | 'alive' | 'gone' | 'unknown';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The start time (clock ticks after boot) of a live, non-zombie process; undefined when there is none. */
function processStart(pid: number): number | undefined {
  const text = readText(`/proc/${pid}/stat`);
  if (!text) return undefined;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (f[0] === 'Z' || f[0] === 'X') return undefined;
  const start = Number(f[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** This process as an owner (without the record path). */
function thisProcess(): Omit<InstanceOwner, 'record'> {
  let pidns = '';
  try {
    pidns = readlinkSync('/proc/self/ns/pid');
  } catch {
    /* not Linux */
  }
  return {
    host: os.hostname(),
    boot: readText('/proc/sys/kernel/random/boot_id'),
    pidns,
    pid: process.pid,
    start: processStart(process.pid) ?? 0,
  };
}

/** Whether the process of an owner on this machine still runs (pid and start time). */
function processRuns(owner: InstanceOwner): boolean {
  if (owner.start) return processStart(owner.pid) === owner.start;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parses the owner label; undefined when it is absent or not an owner. */
export function parseOwner(text: string | undefined): InstanceOwner | undefined {
  if (!text) return undefined;
  try {
    const o = JSON.parse(text) as Partial<InstanceOwner>;
    if (typeof o.host !== 'string' || typeof o.pid !== 'number' || typeof o.record !== 'string') return undefined;
    return {
      host: o.host,
      boot: String(o.boot ?? ''),
      pidns: String(o.pidns ?? ''),
      pid: o.pid,
      start: Number(o.start ?? 0),
      record: o.record,
      ...(o.resumable === true ? { resumable: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the owner of an object (its labels) is alive, gone, this very instance ('self') or
 * cannot be told ('unknown': no owner label, or an owner on another machine or pid namespace).
 */
export function ownerState(labels: Record<string, string>, self?: RuntimeInstance): OwnerState {
  const id = labels[RUNTIME_LABELS.instance];
  if (self && id === self.id) return 'self';
  const owner = parseOwner(labels[RUNTIME_LABELS.owner]);
  if (!owner) return 'unknown';
  return ownerLiveness(owner);
}

/** Alive, gone or unknown, for an owner record (see the module comment for the rules). */
export function ownerLiveness(owner: InstanceOwner): 'alive' | 'gone' | 'unknown' {
  const me = thisProcess();
  if (owner.host === me.host && owner.boot === me.boot && owner.pidns === me.pidns) {
    if (!processRuns(owner)) {
      if (takenOver(owner)) return 'alive';
      // Killed without a release: a resumable identity waits for its restart.
      return owner.resumable && readText(owner.record) ? 'unknown' : 'gone';
    }
    try {
      statSync(owner.record);
      return 'alive';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'alive';
    }
  }
  if (owner.host === me.host && owner.boot && me.boot && owner.boot !== me.boot) return 'gone';
  return 'unknown';
}

/**
 * True when the record file of a gone owner now names another owner on this machine whose process
 * runs and who took the instance over from it (its `adopted` list names the gone owner): a control
 * plane restarted on the same store resumed the instance (its identity is kept in the store) and
 * adopted what the gone process made.
 */
function takenOver(owner: InstanceOwner): boolean {
  const record = readRecord(owner.record);
  const now = record?.owner;
  if (!now || sameProcess(now, owner) || !record.adopted.some((o) => sameProcess(o, owner))) return false;
  const me = thisProcess();
  return now.host === me.host && now.boot === me.boot && now.pidns === me.pidns && processRuns(now);
}

/** What an instance's record file says: its owner, and the earlier owners it took over. */
interface InstanceRecord {
  owner: InstanceOwner;
  adopted: InstanceOwner[];
}

/** Reads a record file; undefined when there is none or it is not one. */
function readRecord(file: string): InstanceRecord | undefined {
  const text = readText(file);
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { owner?: unknown; adopted?: unknown };
    const owner = parseOwner(JSON.stringify(body.owner));
    if (!owner) return undefined;
    const adopted = Array.isArray(body.adopted)
      ? body.adopted.map((o) => parseOwner(JSON.stringify(o))).filter((o): o is InstanceOwner => o !== undefined)
      : [];
    return { owner, adopted };
  } catch {
    return undefined;
  }
}

function sameProcess(a: InstanceOwner, b: InstanceOwner): boolean {
  return a.host === b.host && a.boot === b.boot && a.pid === b.pid && a.start === b.start;
}

/** How many earlier owners a record keeps. */
const MAX_ADOPTED = 16;

/**
 * True when a node agent (or a runtime) of instance `self` may take over or remove an object:
 * it is its own, it carries no owner (made by a hand-built agent without an instance, or by an
 * older tugboat), or its owner is gone. Never when its owner is alive or cannot be checked.
 */
export function isClaimable(labels: Record<string, string>, self?: RuntimeInstance): boolean {
  if (!labels[RUNTIME_LABELS.owner]) return true;
  const state = ownerState(labels, self);
  return state === 'self' || state === 'gone';
}

/** Options of `reclaim()` (which objects of unverifiable owners may go too). */
export interface ReclaimOptions {
  /**
   * Also reclaim what was made more than this many milliseconds ago by an owner that cannot
   * be checked from here (another machine sharing the daemon, another pid namespace, or no
   * owner label at all). Without it only verifiably gone owners are reclaimed.
   */
  olderThanMs?: number;
}

/**
 * Whether a reclaim may remove an object: its owner is gone, or (with `olderThanMs`) cannot be
 * checked and the object is older than that. Never this instance's own or a live owner's.
 */
export function reclaimable(
  labels: Record<string, string>,
  createdAt: Date | undefined,
  options: ReclaimOptions = {},
  self?: RuntimeInstance,
): boolean {
  const state = ownerState(labels, self);
  if (state === 'gone') return true;
  if (state !== 'unknown' || options.olderThanMs === undefined || !createdAt) return false;
  return Date.now() - createdAt.getTime() > options.olderThanMs;
}

/** The folder of instance records of this user. */
function defaultRecordDir(): string {
  const uid = process.getuid?.();
  return path.join(os.tmpdir(), uid === undefined ? 'tugboat-instances' : `tugboat-instances-${uid}`);
}

/**
 * One running cluster's identity on its runtimes: a random id, its owner, and the record file
 * it holds while it runs. The Cluster makes one and hands it to every node agent and runtime
 * (through `RuntimeBinding.instance`); a runtime used on its own makes its own.
 */
export class RuntimeInstance {
  /** A random id, unique per running cluster (12 hex digits). */
  readonly id: string;
  /** Who runs it. */
  readonly owner: InstanceOwner;
  private acquired?: Promise<void>;

  private constructor(
    readonly clusterName: string,
    recordDir: string,
    id?: string,
    resumable?: boolean,
  ) {
    if (id !== undefined && !/^[0-9a-f]{12}$/.test(id)) {
      throw new Error(`a runtime instance id is 12 hex digits, got ${JSON.stringify(id)}`);
    }
    this.id = id ?? randomBytes(6).toString('hex');
    this.owner = { ...thisProcess(), record: path.join(recordDir, `${this.id}.json`), ...(resumable ? { resumable: true } : {}) };
  }

  /**
   * A new identity for a cluster; nothing is written until {@link acquire}. With `id`, the
   * identity of an earlier run resumed (kept in the cluster's store): what that run made on the
   * runtimes is this instance's own, to adopt.
   */
  static create(clusterName: string, options: { recordDir?: string; id?: string; resumable?: boolean } = {}): RuntimeInstance {
    return new RuntimeInstance(clusterName, options.recordDir ?? defaultRecordDir(), options.id, options.resumable);
  }

  /** The labels every object of this instance carries (instance id and owner). */
  get labels(): Record<string, string> {
    return { [RUNTIME_LABELS.instance]: this.id, [RUNTIME_LABELS.owner]: JSON.stringify(this.owner) };
  }

  /** Writes the record file (a 0600 file in a 0700 folder) that says this instance runs. Idempotent. */
  acquire(): Promise<void> {
    return (this.acquired ??= (async () => {
      const dir = path.dirname(this.owner.record);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700).catch(() => undefined);
      // A record left by an earlier owner of this instance (a resumed identity): it is taken over.
      const earlier = readRecord(this.owner.record);
      const adopted =
        earlier && !sameProcess(earlier.owner, this.owner)
          ? [earlier.owner, ...earlier.adopted].slice(0, MAX_ADOPTED)
          : (earlier?.adopted ?? []);
      const body = { id: this.id, cluster: this.clusterName, owner: this.owner, adopted, since: new Date().toISOString() };
      await writeFile(this.owner.record, JSON.stringify(body), { mode: 0o600 });
    })());
  }

  /** Removes the record file: from now on this instance counts as gone. Idempotent. */
  async release(): Promise<void> {
    const pending = this.acquired;
    this.acquired = undefined;
    if (pending) await pending.catch(() => undefined);
    await rm(this.owner.record, { force: true });
  }
}
