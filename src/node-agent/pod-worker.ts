/**
 * One worker per pod: a serialised, level-triggered sync loop that drives the pod's sandbox,
 * init containers and app containers through the runtime and reports the pod's status
 * (written only when it changed). Runtime events, watch updates, probes and timers ask for syncs;
 * syncs never overlap and requests during one are coalesced into one more.
 */
import { rfc3339 } from '../clock/time-format.js';
import type { Timer } from '../clock/types.js';
import { TugboatError } from '../model/errors.js';
import type { Pod } from '../model/types.js';
import { RUNTIME_LABELS, type ContainerStatus, type SandboxStatus } from '../runtime-adapters/types.js';
import { sandboxChange } from './adoption.js';
import { jsonEqual } from '../model/json.js';
import { sandboxConfig } from './container-config.js';
import { newRecord, recordView, type ContainerRecord } from './container-record.js';
import { restartContainer, shouldRestart, startContainer, type RunContext } from './container-runner.js';
import { refreshFiles } from './file-refresh.js';
import { finishResizes } from './volume-resize.js';
import { appContainersFinished, driveInitContainers } from './init-containers.js';
import { buildPodStatus } from './pod-status.js';
import { ContainerProber } from './prober.js';
import { runProbe } from './probes.js';
import { terminatePod, stopAll } from './termination.js';
import { attemptOf, type WorkerEnv } from './worker-env.js';

/** Drives one pod on this node. */
export class PodWorker {
  pod: Pod;
  sandbox?: SandboxStatus;
  readonly init: ContainerRecord[];
  readonly app: ContainerRecord[];
  /** Set once the pod reached Succeeded/Failed (or was finished by the agent). */
  terminal?: { phase: 'Succeeded' | 'Failed'; reason?: string; message?: string };
  /** The pod was already finished when this worker met it: report nothing, only clean up on deletion. */
  inert = false;
  private removed = false;
  private done = false;
  private running?: Promise<void>;
  private again = false;
  private wake?: { at: number; timer: Timer };
  private nextWake = Infinity;
  private lastWrittenRv?: string;
  /** The status last written (or being written), to recognise the watch's echo of it. */
  private lastWritten?: unknown;
  private startTime?: string;
  /** Sandboxes replaced after they changed under the pod: stopped, removed with the pod. */
  readonly retiredSandboxes: string[] = [];
  /** Set once a sandbox was lost: under restartPolicy Never no new one is made. */
  private sandboxLost = false;

  constructor(
    readonly env: WorkerEnv,
    pod: Pod,
  ) {
    this.pod = pod;
    this.init = (pod.spec?.initContainers ?? []).map((c) => newRecord(c, true));
    this.app = (pod.spec?.containers ?? []).map((c) => newRecord(c, false));
    this.startTime = pod.status?.startTime;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.terminal = {
        phase,
        ...(pod.status?.reason ? { reason: pod.status.reason } : {}),
        ...(pod.status?.message ? { message: pod.status.message } : {}),
      };
      this.inert = true;
    }
  }

  /** The pod's uid. */
  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** Every record, init containers first. */
  get records(): ContainerRecord[] {
    return [...this.init, ...this.app];
  }

  /** Takes over runtime objects found for this pod (adoption after an agent restart). */
  adopt(sandbox: SandboxStatus | undefined, containers: ContainerStatus[]): ContainerStatus[] {
    if (sandbox) this.sandbox = sandbox;
    const extra: ContainerStatus[] = [];
    for (const rec of this.records) {
      const mine = containers
        .filter((c) => c.name === rec.spec.name && (!sandbox || c.sandboxId === sandbox.id))
        .sort((a, b) => attemptOf(b) - attemptOf(a));
      if (mine[0]) {
        rec.current = mine[0];
        rec.restartCount = attemptOf(mine[0]);
      }
      if (mine[1]) rec.previous = mine[1];
      extra.push(...mine.slice(2));
    }
    const kept = new Set(this.records.flatMap((r) => [r.current?.id, r.previous?.id]));
    return [...extra, ...containers.filter((c) => !kept.has(c.id) && !extra.includes(c))];
  }

  /** A newer version of the pod arrived from the watch. */
  update(pod: Pod): void {
    const echo =
      pod.metadata.resourceVersion === this.lastWrittenRv || (this.lastWritten !== undefined && jsonEqual(pod.status, this.lastWritten));
    this.pod = pod;
    if (!echo || pod.metadata.deletionTimestamp) this.requestSync();
  }

  /** The pod is gone from the API (or no longer bound here): stop and remove its containers. */
  remove(): void {
    this.removed = true;
    this.requestSync();
  }

  /** Asks for a sync; coalesced with one under way. */
  requestSync(): void {
    if (this.done || !this.env.alive()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.syncOnce();
        } catch {
          if (this.env.alive()) this.schedule(this.env.ctx.clock.nowMs() + 1000);
        }
      } while (this.again && !this.done && this.env.alive());
      this.running = undefined;
    })();
  }

  /** True while a sync is under way. */
  get syncing(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when no sync is under way. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops timers and probe loops (agent stop or kill); runtime objects are left as they are. */
  halt(): void {
    this.wake?.timer.cancel();
    this.wake = undefined;
    for (const r of this.records) r.prober?.stop();
  }

  private schedule(at: number): void {
    if (this.wake && this.wake.at <= at && this.wake.at > this.env.ctx.clock.nowMs()) return;
    this.wake?.timer.cancel();
    const timer = this.env.ctx.clock.setTimeout(
      () => {
        this.wake = undefined;
        this.requestSync();
      },
      Math.max(0, at - this.env.ctx.clock.nowMs()),
    );
    this.wake = { at, timer };
  }

  private async syncOnce(): Promise<void> {
    const env = this.env;
    this.nextWake = Infinity;
    if (this.removed) {
      this.halt();
      await stopAll(this, (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
      this.finish();
      return;
    }
    if (this.pod.metadata.deletionTimestamp) {
      this.halt();
      await terminatePod(this);
      this.finish();
      return;
    }
    if (this.inert) return;
    await this.refresh();
    if (!this.terminal) this.checkDeadline();
    if (this.terminal) {
      for (const r of this.records) r.prober?.stop();
      // A finished pod keeps nothing running (its sidecars, or everything past a deadline).
      if (this.terminal.reason === 'DeadlineExceeded' || this.records.some((r) => r.current?.state === 'running'))
        await stopAll(this, this.graceMs(), false);
    } else {
      await this.drive();
    }
    if (!env.alive()) return;
    await this.writeStatus();
    if (this.nextWake < Infinity) this.schedule(this.nextWake);
  }

  /** The pod's termination grace period in ms. */
  private graceMs(): number {
    return (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  private finish(): void {
    this.done = true;
    this.env.finished(this.uid);
  }

  /** Re-reads the runtime state of live instances and carries out kills asked by probes. */
  private async refresh(): Promise<void> {
    for (const rec of this.records) {
      if (rec.killRequest && rec.current?.state === 'running') {
        const { kind } = rec.killRequest;
        this.env.record(this.pod, 'Normal', 'Killing', `Container ${rec.spec.name} failed ${kind} probe, will be restarted`);
        const grace =
          (rec.spec[kind === 'liveness' ? 'livenessProbe' : 'startupProbe']?.terminationGracePeriodSeconds ??
            this.pod.spec?.terminationGracePeriodSeconds ??
            30) * 1000;
        await this.env.runtime.stopContainer(rec.current.id, grace);
      }
      rec.killRequest = undefined;
      if (!rec.current || rec.current.state === 'exited') continue;
      try {
        rec.current = await this.env.runtime.inspectContainer(rec.current.id);
      } catch (err) {
        if (!TugboatError.is(err, 'NotFound')) throw err;
        const now = this.env.ctx.clock.now();
        rec.current = { ...rec.current, state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown', finishedAt: now };
      }
      if (rec.current.state !== 'running' && rec.prober) {
        rec.prober.stop();
        rec.prober = undefined;
      }
    }
  }

  private checkDeadline(): void {
    const ads = this.pod.spec?.activeDeadlineSeconds;
    if (ads === undefined || !this.startTime) return;
    const deadline = Date.parse(this.startTime) + ads * 1000;
    if (this.env.ctx.clock.nowMs() >= deadline) {
      this.terminal = {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
      };
      this.env.record(this.pod, 'Warning', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
    } else {
      this.nextWake = Math.min(this.nextWake, deadline);
    }
  }

  private runContext(): RunContext {
    return { env: this.env, pod: this.pod, sandbox: this.sandbox!, wakeAt: (ms) => (this.nextWake = Math.min(this.nextWake, ms)) };
  }

  /**
   * The kubelet's answer to a sandbox that changed under the pod (killed, restarted or
   * removed): an event, every container of the pod killed, the old sandbox stopped (and
   * removed with the pod); the next steps of the sync make a new sandbox and start the
   * containers in it again (restartCount rising, back-off as for any restart).
   */
  private async checkSandbox(): Promise<void> {
    const known = this.sandbox;
    if (!known) return;
    const env = this.env;
    const found = await this.findSandbox(known.id);
    const change = sandboxChange(known, found, this.pod.spec?.hostNetwork === true);
    if (!change) {
      this.sandbox = found;
      return;
    }
    env.record(this.pod, 'Normal', 'SandboxChanged', `Pod sandbox ${change}, it will be killed and re-created.`);
    const grace = (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    await Promise.all(
      this.records.map(async (rec) => {
        const cur = rec.current;
        rec.prober?.stop();
        rec.prober = undefined;
        if (!cur || cur.state === 'exited') return;
        await env.runtime.stopContainer(cur.id, grace).catch(() => undefined);
        rec.current = await env.runtime.inspectContainer(cur.id).catch(() => ({
          ...cur,
          state: 'exited' as const,
          exitCode: 137,
          reason: 'ContainerStatusUnknown',
          finishedAt: env.ctx.clock.now(),
        }));
      }),
    );
    if (found) {
      await env.limit(() => env.runtime.stopSandbox(known.id)).catch(() => undefined);
      this.retiredSandboxes.push(known.id);
    }
    this.sandbox = undefined;
    this.sandboxLost = true;
  }

  /** The pod's sandbox as the runtime has it now; undefined when it is gone. */
  private async findSandbox(id: string): Promise<SandboxStatus | undefined> {
    const runtime = this.env.runtime;
    if (!runtime.inspectSandbox) return (await runtime.listSandboxes({ [RUNTIME_LABELS.podUid]: this.uid })).find((s) => s.id === id);
    try {
      return await runtime.inspectSandbox(id);
    } catch (err) {
      if (TugboatError.is(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  /** One pass of the kubelet's SyncPod: sandbox, init containers in order, then app containers. */
  private async drive(): Promise<void> {
    const env = this.env;
    await this.checkSandbox();
    if (!env.alive()) return;
    if (!this.sandbox && this.sandboxLost && this.pod.spec?.restartPolicy === 'Never' && this.records.some((r) => r.current)) {
      // As the kubelet: a pod that must not restart gets no new sandbox; its containers ended.
      return;
    }
    if (!this.sandbox) {
      try {
        this.sandbox = await env.limit(() => env.runtime.runSandbox(sandboxConfig(this.pod, env.owner)));
      } catch (err) {
        env.record(
          this.pod,
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${err instanceof Error ? err.message : String(err)}`,
        );
        this.nextWake = Math.min(this.nextWake, env.ctx.clock.nowMs() + 10_000);
        return;
      }
    }
    this.startTime ??= rfc3339(env.ctx.clock.now());
    const rc = this.runContext();
    const sandboxId = this.sandbox.id;
    if (appContainersFinished(this.pod, this.app, sandboxId)) {
      // As the kubelet's KillPod once no regular container will run again: sidecars stop, last first.
      if (this.records.some((r) => r.current?.state === 'running')) await stopAll(this, this.graceMs(), false);
      return;
    }
    if (!(await driveInitContainers({ rc, init: this.init, app: this.app, ensureProber: (r) => this.ensureProber(r) }))) return;
    for (const rec of this.app) {
      if (!env.alive()) return;
      const cur = rec.current;
      if (!cur) await startContainer(rc, rec, 0);
      else if (cur.state === 'exited' || cur.sandboxId !== sandboxId) {
        if (cur.state !== 'exited') {
          // Still running in a sandbox that is no longer the pod's: it goes before a new one starts.
          await env.runtime.stopContainer(cur.id, 0).catch(() => undefined);
          rec.current = { ...cur, state: 'exited', exitCode: cur.exitCode ?? 137, finishedAt: env.ctx.clock.now() };
        }
        if (shouldRestart(this.pod, rec)) await restartContainer(rc, rec);
        else rec.waiting = undefined;
      }
      if (rec.current?.state === 'running') {
        this.ensureProber(rec);
        await refreshFiles(rc, rec);
      }
    }
    if (this.app.some((r) => r.current?.state === 'running')) await finishResizes(env, this.pod).catch(() => undefined);
  }

  private ensureProber(rec: ContainerRecord): void {
    const cur = rec.current!;
    if (rec.prober && rec.proberFor === cur.id) return;
    rec.prober?.stop();
    rec.prober = undefined;
    if (!rec.spec.livenessProbe && !rec.spec.readinessProbe && !rec.spec.startupProbe) return;
    const env = this.env;
    const prober = new ContainerProber(rec.spec, (cur.startedAt ?? cur.createdAt).getTime(), {
      clock: env.ctx.clock,
      run: (action, timeoutMs) => runProbe(env.runtime, cur.id, this.sandbox, action, timeoutMs),
      onChange: () => this.requestSync(),
      onUnhealthy: (_kind, message) => env.record(this.pod, 'Warning', 'Unhealthy', message),
      onFailed: (kind) => {
        rec.killRequest = { kind };
        this.requestSync();
      },
    });
    rec.prober = prober;
    rec.proberFor = cur.id;
    prober.start();
  }

  /** Writes the pod's status when it differs from the stored one; retries on Conflict with a fresh read. */
  async writeStatus(): Promise<void> {
    if (this.inert) return;
    const client = this.env.pods(this.pod.metadata.namespace ?? 'default');
    for (let attempt = 0; attempt < 5 && this.env.alive(); attempt++) {
      const status = buildPodStatus({
        pod: this.pod,
        runtimeName: this.env.runtime.name,
        hostIP: this.env.owner.hostIP,
        ...(this.sandbox?.ip ? { podIP: this.sandbox.ip } : {}),
        ...(this.startTime ? { startTime: this.startTime } : {}),
        sandboxReady: this.sandbox?.state === 'ready',
        init: this.init.map(recordView),
        app: this.app.map(recordView),
        ...(this.terminal ? { terminal: this.terminal } : {}),
        now: this.env.ctx.clock.now(),
      });
      if (!this.terminal && (status.phase === 'Succeeded' || status.phase === 'Failed')) {
        this.terminal = { phase: status.phase };
        // Sidecars still running in a pod that just failed are stopped by one more sync.
        if (this.records.some((r) => r.current?.state === 'running')) this.again = true;
      }
      if (jsonEqual(status, this.pod.status)) return;
      try {
        this.lastWritten = status;
        const written = await client.updateStatus({ ...this.pod, status } as Pod);
        this.lastWrittenRv = written.metadata.resourceVersion;
        this.pod = written;
        return;
      } catch (err) {
        if (TugboatError.is(err, 'NotFound')) return;
        if (!TugboatError.is(err, 'Conflict')) throw err;
        const fresh = await client.find(this.pod.metadata.name ?? '');
        if (!fresh || fresh.metadata.uid !== this.uid) return;
        this.pod = fresh;
      }
    }
  }
}
