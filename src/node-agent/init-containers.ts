/**
 * The init-container step of a pod's sync, with native sidecars (Kubernetes 1.30's
 * SidecarContainers, on by default): init containers run in order; a regular one must exit 0
 * before the next starts; a sidecar (`restartPolicy: Always`) lets the next start once it is
 * started (running, its postStart returned and its startupProbe passed) and is then kept
 * running beside the app containers, restarted with back-off whenever it exits, whatever the
 * pod's restartPolicy.
 */
import { hasStarted, type ContainerRecord } from './container-record.js';
import { restartContainer, shouldRestart, startContainer, type RunContext } from './container-runner.js';

/** What the step needs from the pod worker. */
export interface InitStep {
  rc: RunContext;
  init: readonly ContainerRecord[];
  app: readonly ContainerRecord[];
  /** Starts (or keeps) the probe loop of a running container. */
  ensureProber(rec: ContainerRecord): void;
}

/** True when every app container exited in this sandbox and none will be restarted (a Job's pod is done). */
export function appContainersFinished(pod: RunContext['pod'], app: readonly ContainerRecord[], sandboxId: string): boolean {
  return app.length > 0 && app.every((r) => r.current?.sandboxId === sandboxId && r.current.state === 'exited' && !shouldRestart(pod, r));
}

/** Starts a sidecar, or restarts it (after its back-off) when it exited or belongs to an older sandbox. */
async function keepSidecar(rc: RunContext, rec: ContainerRecord): Promise<void> {
  const cur = rec.current;
  if (!cur) {
    await startContainer(rc, rec, 0);
    return;
  }
  if (cur.sandboxId === rc.sandbox.id && cur.state !== 'exited') return;
  if (cur.state !== 'exited') {
    await rc.env.runtime.stopContainer(cur.id, 0).catch(() => undefined);
    rec.current = { ...cur, state: 'exited', exitCode: cur.exitCode ?? 137, finishedAt: rc.env.ctx.clock.now() };
  }
  await restartContainer(rc, rec);
}

/**
 * Drives the init containers one step, as the kubelet's computeInitContainerActions: true when
 * the app containers may run (every regular init container exited 0 and every sidecar started,
 * or the app containers already run in this sandbox).
 */
export async function driveInitContainers(step: InitStep): Promise<boolean> {
  const { rc } = step;
  const sandboxId = rc.sandbox.id;
  const initialized = step.app.some((r) => r.current?.sandboxId === sandboxId);
  for (const rec of step.init) {
    if (!rc.env.alive()) return false;
    const cur = rec.current;
    if (rec.sidecar) {
      await keepSidecar(rc, rec);
      if (rec.current?.state === 'running') step.ensureProber(rec);
      if (!initialized && !hasStarted(rec)) return false;
      continue;
    }
    if (initialized) continue;
    // In a new sandbox the init containers run again, from the first.
    const stale = cur !== undefined && cur.sandboxId !== sandboxId;
    if (!stale && cur?.state === 'exited' && cur.exitCode === 0) continue;
    if (!stale && cur && cur.state !== 'exited') return false;
    if (!cur) await startContainer(rc, rec, 0);
    else if (rc.pod.spec?.restartPolicy !== 'Never') await restartContainer(rc, rec);
    return false;
  }
  return true;
}
