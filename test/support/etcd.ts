/**
 * Helpers for tests that need a real etcd: the shared one `.ci/etcd.sh` starts on 127.0.0.1:2379
 * (each test keeps its keys under a unique prefix), and private ones a test starts on free ports
 * in a temp dir (for restarts and compaction, which would disturb the shared one).
 *
 * In CI (`process.env.CI` set) a missing etcd makes the test file fail; elsewhere the tests are
 * skipped with the reason printed.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The shared etcd of the tests (`.ci/etcd.sh`), or TUGBOAT_ETCD_ENDPOINT. */
export const SHARED_ETCD = process.env.TUGBOAT_ETCD_ENDPOINT ?? 'http://127.0.0.1:2379';

const etcdRequired = Boolean(process.env.CI);

/** True when `endpoint` answers etcd's health check within 3 s. */
export async function etcdAnswers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(3000) });
    return res.ok && ((await res.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

/** True when the etcd binary is installed (private etcds can be started). */
export function etcdInstalled(): boolean {
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the shared etcd for a test file: true when tests may run, false (with a printed reason)
 * when they should be skipped, and throws in CI, where an etcd test must never skip.
 */
export async function etcdForTests(): Promise<boolean> {
  const reason = !etcdInstalled()
    ? 'etcd is not installed; run .ci/etcd.sh'
    : !(await etcdAnswers(SHARED_ETCD))
      ? `etcd does not answer on ${SHARED_ETCD}; run .ci/etcd.sh`
      : undefined;
  if (!reason) return true;
  if (etcdRequired) throw new Error(`etcd is required in CI: ${reason}`);
  console.warn(`[etcd tests skipped] ${reason}`);
  return false;
}

/** A key prefix no other test or run uses: `/tugboat-test/<tag>-<random>`. */
export function uniquePrefix(tag: string): string {
  return `/tugboat-test/${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * An etcd of one test: its own data dir and ports. `stop()` kills it (SIGKILL: as a crash),
 * `start()` starts it again on the same data and ports, `dispose()` stops it and removes its data.
 */
export class PrivateEtcd {
  readonly dir = mkdtempSync(join(tmpdir(), 'tugboat-etcd-'));
  private child: ChildProcess | undefined;

  private constructor(
    readonly clientPort: number,
    readonly peerPort: number,
  ) {}

  /** Starts a private etcd on two free ports and waits until it answers. */
  static async start(): Promise<PrivateEtcd> {
    const etcd = new PrivateEtcd(await freePort(), await freePort());
    await etcd.start();
    return etcd;
  }

  /** Its client URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.clientPort}`;
  }

  /** Starts (again) and waits up to 20 s for the health check. */
  async start(): Promise<void> {
    if (this.child) return;
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const log = openSync(join(this.dir, 'etcd.log'), 'a');
    this.child = spawn(
      'etcd',
      [
        '--name',
        'private',
        '--data-dir',
        join(this.dir, 'data'),
        '--listen-client-urls',
        this.endpoint,
        '--advertise-client-urls',
        this.endpoint,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        peer,
        '--initial-cluster',
        `private=${peer}`,
        '--experimental-watch-progress-notify-interval',
        '1s',
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      if (await etcdAnswers(this.endpoint)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the private etcd did not answer on ${this.endpoint}; its log:\n${this.logTail()}`);
  }

  /** Kills it (SIGKILL) and waits for the process to end. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Stops it and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last lines of its log. */
  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.dir, 'etcd.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
