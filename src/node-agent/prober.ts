/**
 * The probe loops of one running container instance: startup gates liveness and readiness;
 * liveness or startup failures past failureThreshold ask for a restart; readiness toggles ready
 * after successThreshold successes or failureThreshold failures. All timing on the clock.
 */
import type { Clock, Timer } from '../clock/types.js';
import type { core } from '../model/types.js';
import type { ProbeAction, ProbeOutcome } from '../runtime-adapters/types.js';
import { probeAction } from './probes.js';

/** Which probe. */
export type ProbeKind = 'startup' | 'liveness' | 'readiness';

/** What a {@link ContainerProber} calls out to. */
export interface ProberHooks {
  clock: Clock;
  run(action: ProbeAction, timeoutMs: number): Promise<ProbeOutcome>;
  /** `ready` or `started` changed. */
  onChange(): void;
  /** One probe run failed (for the Unhealthy event). */
  onUnhealthy(kind: ProbeKind, message: string): void;
  /** A liveness or startup probe reached its failureThreshold: the container must be restarted. */
  onFailed(kind: 'liveness' | 'startup'): void;
}

interface Loop {
  kind: ProbeKind;
  probe: core.Probe;
  action: ProbeAction;
  successes: number;
  failures: number;
  timer?: Timer;
}

const LABEL: Record<ProbeKind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

/** Runs the probes of one container instance from its start until stopped. */
export class ContainerProber {
  /** The readiness verdict (true without a readiness probe). */
  ready: boolean;
  /** The startup verdict (true without a startup probe). */
  started: boolean;
  private stopped = false;
  private readonly loops = new Map<ProbeKind, Loop>();

  constructor(
    container: core.Container,
    private readonly startedAtMs: number,
    private readonly hooks: ProberHooks,
  ) {
    const add = (kind: ProbeKind, probe: core.Probe | undefined): void => {
      const action = probe && probeAction(probe, container);
      if (probe && action) this.loops.set(kind, { kind, probe, action, successes: 0, failures: 0 });
    };
    add('startup', container.startupProbe);
    add('liveness', container.livenessProbe);
    add('readiness', container.readinessProbe);
    this.started = !this.loops.has('startup');
    this.ready = !this.loops.has('readiness');
  }

  /** Starts the loops (startup first, if any). */
  start(): void {
    if (this.loops.has('startup')) this.schedule(this.loops.get('startup')!, true);
    else this.startMain();
  }

  /** Stops every loop; results of runs in flight are ignored. */
  stop(): void {
    this.stopped = true;
    for (const l of this.loops.values()) l.timer?.cancel();
  }

  private startMain(): void {
    for (const kind of ['liveness', 'readiness'] as const) {
      const l = this.loops.get(kind);
      if (l) this.schedule(l, true);
    }
  }

  private schedule(l: Loop, first: boolean): void {
    if (this.stopped) return;
    const period = (l.probe.periodSeconds ?? 10) * 1000;
    const delay = first ? Math.max(0, this.startedAtMs + (l.probe.initialDelaySeconds ?? 0) * 1000 - this.hooks.clock.nowMs()) : period;
    l.timer = this.hooks.clock.setTimeout(() => void this.runOnce(l), delay);
  }

  private async runOnce(l: Loop): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.hooks.run(l.action, (l.probe.timeoutSeconds ?? 1) * 1000);
    if (this.stopped) return;
    const ok = outcome.result === 'success';
    if (ok) {
      l.successes++;
      l.failures = 0;
    } else {
      l.failures++;
      l.successes = 0;
      this.hooks.onUnhealthy(l.kind, `${LABEL[l.kind]} probe failed: ${outcome.message ?? ''}`.trim());
    }
    const failureThreshold = l.probe.failureThreshold ?? 3;
    const successThreshold = l.kind === 'readiness' ? (l.probe.successThreshold ?? 1) : 1;
    if (l.kind === 'startup') {
      if (ok) {
        this.started = true;
        this.hooks.onChange();
        this.startMain();
        return;
      }
      if (l.failures >= failureThreshold) return this.fail('startup');
    } else if (l.kind === 'liveness') {
      if (!ok && l.failures >= failureThreshold) return this.fail('liveness');
    } else {
      const was = this.ready;
      if (ok && l.successes >= successThreshold) this.ready = true;
      if (!ok && l.failures >= failureThreshold) this.ready = false;
      if (was !== this.ready) this.hooks.onChange();
    }
    this.schedule(l, false);
  }

  private fail(kind: 'liveness' | 'startup'): void {
    this.stop();
    this.hooks.onFailed(kind);
  }
}
