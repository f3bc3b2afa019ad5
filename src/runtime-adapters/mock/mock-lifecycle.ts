/**
 * State changes of mock containers: start (after startupMs), exit on its own (exitAfterMs),
 * SIGTERM with a grace period, kills, crashes and OOM kills. Every delay is a timer of the
 * bound clock, so a FakeClock drives everything; a frozen node's changes are held.
 */
import type { Clock } from '../../clock/types.js';
import { exitReason } from '../conventions.js';
import type { RuntimeEvent } from '../types.js';
import type { FrozenNodes } from './frozen-nodes.js';
import { nextChange, notify, type MockContainer } from './mock-container.js';

/** Exit code of a SIGKILLed process (128 + 9). */
export const KILLED = 137;
/** Exit code of a process ended by SIGTERM without a handler (128 + 15). */
const TERMINATED = 143;

/** True once a container has exited or was removed (a function, so TS does not narrow across awaits). */
function ended(c: MockContainer): boolean {
  return c.state === 'exited' || c.removed === true;
}

/** MockLifecycle moves mock containers between created, running and exited. */
export class MockLifecycle {
  constructor(
    private readonly clock: () => Clock,
    private readonly frozen: FrozenNodes,
    private readonly emit: (event: RuntimeEvent) => void,
  ) {}

  /** Starts a created container; resolves once it runs (or exited during startup). */
  async start(c: MockContainer): Promise<void> {
    if (c.state !== 'created' || c.starting) throw new Error(`mock runtime: container ${c.id} is ${c.state}, cannot start it`);
    const startupMs = c.behavior.startupMs ?? 0;
    if (startupMs <= 0) {
      this.running(c);
      return;
    }
    c.starting = true;
    c.timer = this.after(c, startupMs, () => this.running(c));
    while (c.state === 'created' && !c.removed) await nextChange(c);
  }

  /** The container exits now with `exitCode` (reason derived from it unless given). */
  exit(c: MockContainer, exitCode: number, reason?: string): void {
    if (c.state === 'exited') return;
    c.timer?.cancel();
    c.killTimer?.cancel();
    c.timer = c.killTimer = undefined;
    c.starting = c.stopping = false;
    const now = this.clock().nowMs();
    const wasStarted = c.state === 'running';
    c.state = 'exited';
    c.exitCode = exitCode;
    c.reason = reason ?? exitReason(exitCode);
    c.finishedAt = now;
    if (c.startedAt === undefined) c.startedAt = now;
    const at = new Date(now);
    if (c.reason === 'OOMKilled') this.emit({ type: 'oom', containerId: c.id, labels: c.labels, exitCode, at });
    if (wasStarted || exitCode !== 0) this.emit({ type: 'exit', containerId: c.id, labels: c.labels, exitCode, at });
    notify(c);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the container has exited. */
  async stop(c: MockContainer, graceMs: number): Promise<void> {
    if (c.state === 'exited' || c.removed) return;
    if (c.state === 'created') {
      if (c.starting) this.exit(c, KILLED);
      return;
    }
    if (graceMs <= 0) {
      // SIGKILL at once, even while a graceful stop is waiting for the clock.
      c.stopping = true;
      c.killTimer?.cancel();
      this.exit(c, KILLED);
    } else if (!c.stopping) {
      c.stopping = true;
      const b = c.behavior;
      const stopMs = b.ignoresTerm ? Infinity : (b.stopMs ?? 0);
      const grace = Math.max(0, graceMs);
      if (stopMs <= grace) {
        const code = b.termExitCode ?? TERMINATED;
        if (stopMs <= 0) this.exit(c, code);
        else c.killTimer = this.after(c, stopMs, () => this.exit(c, code));
      } else {
        c.killTimer = this.after(c, grace, () => this.exit(c, KILLED));
      }
    }
    while (!ended(c)) await nextChange(c);
  }

  private running(c: MockContainer): void {
    if (c.state !== 'created') return;
    const now = this.clock().nowMs();
    c.starting = false;
    c.timer = undefined;
    c.state = 'running';
    c.startedAt = now;
    this.emit({ type: 'start', containerId: c.id, labels: c.labels, at: new Date(now) });
    const exitAfterMs = c.behavior.exitAfterMs;
    const code = c.behavior.exitCode ?? 0;
    if (exitAfterMs !== undefined) {
      if (exitAfterMs <= 0) this.exit(c, code);
      else c.timer = this.after(c, exitAfterMs, () => this.exit(c, code));
    }
    notify(c);
  }

  /** A timer of the clock whose effect is held while the container's node is frozen. */
  private after(c: MockContainer, ms: number, fn: () => void) {
    return this.clock().setTimeout(() => this.frozen.run(c.node, fn), ms);
  }
}
