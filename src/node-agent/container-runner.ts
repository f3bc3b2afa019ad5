/**
 * Starting one container of a pod: image by pull policy (ErrImagePull, ImagePullBackOff),
 * its ContainerConfig, create, start, postStart hook; and restarting an exited one after its
 * back-off (CrashLoopBackOff). Used by the pod worker inside its serialised sync.
 */
import type { Pod } from '../model/types.js';
import { defaultPullPolicy } from '../model/defaults/pod-spec.js';
import { ImagePullError, type PullPolicy, type SandboxStatus } from '../runtime-adapters/types.js';
import { backoffEndsAt, formatDuration, inBackoffSince, inBackoffSinceUpdate, nextBackoff, NO_BACKOFF } from './backoff.js';
import { ContainerConfigError } from './config-error.js';
import { containerConfig } from './container-config.js';
import type { ContainerRecord } from './container-record.js';
import { podWithSandboxIP, recordInitialFiles } from './file-refresh.js';
import { probeAction, runProbe, unrunnableLifecycleHandler } from './probes.js';
import type { WorkerEnv } from './worker-env.js';

/** What the runner needs from the pod worker during one sync. */
export interface RunContext {
  env: WorkerEnv;
  pod: Pod;
  sandbox: SandboxStatus;
  /** Asks for another sync at this time (ms since the epoch). */
  wakeAt(ms: number): void;
}

/** How long a waiting reason is shown before the next try when nothing else wakes the pod. */
const RETRY_MS = 10_000;

function podRef(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** Makes sure the container's image is present; false (with the waiting reason set) when it is not. */
async function pullImage(rc: RunContext, rec: ContainerRecord): Promise<boolean> {
  const { env, pod } = rc;
  const image = rec.spec.image ?? '';
  const policy = (rec.spec.imagePullPolicy ?? defaultPullPolicy(image)) as PullPolicy;
  const now = env.ctx.clock.nowMs();
  const failing = rec.waiting?.reason === 'ErrImagePull' || rec.waiting?.reason === 'ImagePullBackOff';
  if (failing && inBackoffSinceUpdate(rec.imageBackoff, now)) {
    if (rec.waiting?.reason !== 'ImagePullBackOff') env.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
    rec.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
    rc.wakeAt(rec.imageBackoff.lastUpdateMs + rec.imageBackoff.delayMs);
    return false;
  }
  if (policy !== 'Always' && env.images.has(image)) {
    env.record(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return true;
  }
  const started = env.ctx.clock.nowMs();
  if (policy !== 'Never') env.record(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
  try {
    await env.runtime.ensureImage(image, policy);
    env.images.add(image);
    rec.imageBackoff = NO_BACKOFF;
    const took = ((env.ctx.clock.nowMs() - started) / 1000).toFixed(3);
    env.record(
      pod,
      'Normal',
      'Pulled',
      policy === 'Never' ? `Container image "${image}" already present on machine` : `Successfully pulled image "${image}" in ${took}s`,
    );
    return true;
  } catch (err) {
    const reason = err instanceof ImagePullError ? err.reason : 'ErrImagePull';
    const message = err instanceof Error ? err.message : String(err);
    rec.waiting = { reason, message };
    rec.imageBackoff = nextBackoff(rec.imageBackoff, now, now);
    env.record(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    env.record(pod, 'Warning', 'Failed', `Error: ${reason}`);
    // Show ErrImagePull once, then ImagePullBackOff until the back-off ends (as the kubelet's next sync does).
    rc.wakeAt(Math.min(rec.imageBackoff.lastUpdateMs + rec.imageBackoff.delayMs, now + 1000));
    return false;
  }
}

/** Creates and starts a new instance of the container (attempt = its restart count). */
export async function startContainer(rc: RunContext, rec: ContainerRecord, attempt: number): Promise<boolean> {
  const { env, pod, sandbox } = rc;
  if (!(await pullImage(rc, rec)) || !env.alive()) return false;
  let config;
  try {
    // The downward API sees the sandbox's IP even before the status reporting it is written.
    config = await containerConfig(
      podWithSandboxIP(pod, sandbox.ip),
      rec.spec,
      attempt,
      env.owner,
      env.source,
      (rec.volumeFiles ??= new Map()),
    );
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    rec.waiting = { reason: err.reason, message: err.message };
    env.record(
      pod,
      'Warning',
      err.reason === 'ContainerCreating' ? 'FailedMount' : 'Failed',
      err.reason === 'ContainerCreating' ? err.message : `Error: ${err.message}`,
    );
    rc.wakeAt(env.ctx.clock.nowMs() + RETRY_MS);
    return false;
  }
  if (!env.alive()) return false;
  for (const message of env.runtime.unsupported?.(config) ?? []) {
    env.record(pod, 'Warning', 'Unsupported', `container ${rec.spec.name}: ${message}`);
  }
  const id = await env.limit(() => env.runtime.createContainer(sandbox.id, config));
  env.record(pod, 'Normal', 'Created', `Created container ${rec.spec.name}`);
  const stale = rec.previous;
  if (rec.current) rec.previous = rec.current;
  rec.current = {
    id,
    sandboxId: sandbox.id,
    name: rec.spec.name,
    image: config.image,
    state: 'created',
    createdAt: env.ctx.clock.now(),
    labels: config.labels,
  };
  rec.restartCount = attempt;
  rec.waiting = undefined;
  recordInitialFiles(rec, pod, config.mounts, id);
  if (stale) void env.limit(() => env.runtime.removeContainer(stale.id)).catch(() => undefined);
  try {
    await env.limit(() => env.runtime.startContainer(id));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    env.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    rec.current = await env.runtime.inspectContainer(id).catch(() => rec.current);
    if (rec.current?.state !== 'exited') rec.waiting = { reason: 'RunContainerError', message };
    rc.wakeAt(env.ctx.clock.nowMs() + RETRY_MS);
    return false;
  }
  rec.current = await env.runtime.inspectContainer(id);
  env.record(pod, 'Normal', 'Started', `Started container ${rec.spec.name}`);
  const hook = rec.spec.lifecycle?.postStart;
  const action = hook && probeAction(hook, rec.spec);
  const unrunnable = hook && unrunnableLifecycleHandler(hook);
  if (unrunnable && rec.current.state === 'running') {
    env.record(pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${unrunnable}`);
    await env.runtime.stopContainer(id, 0).catch(() => undefined);
    rec.current = await env.runtime.inspectContainer(id);
  } else if (hook?.sleep && rec.current.state === 'running') {
    // The sleep action (PodLifecycleSleepAction): the kubelet waits before it goes on with the pod.
    await env.ctx.clock.sleep(Math.max(0, hook.sleep.seconds) * 1000);
  } else if (action && rec.current.state === 'running') {
    const outcome = await runProbe(env.runtime, id, sandbox, action, 30_000);
    if (outcome.result === 'failure') {
      env.record(pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${outcome.message ?? ''}`);
      await env.runtime.stopContainer(id, 0).catch(() => undefined);
      rec.current = await env.runtime.inspectContainer(id);
    }
  }
  return true;
}

/** True when an exited container must be started again under the pod's restart policy. */
export function shouldRestart(pod: Pod, rec: ContainerRecord): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return true;
  if (policy === 'Never') return false;
  return (rec.current?.exitCode ?? 0) !== 0;
}

/**
 * Restarts an exited container unless its back-off holds it (then it waits in CrashLoopBackOff),
 * as the kubelet's doBackOff: with no back-off entry yet the restart is at once and the entry
 * starts at 10 s; each later crash waits the entry's delay after the container finished, and
 * the restart doubles it (at most 5 minutes).
 */
export async function restartContainer(rc: RunContext, rec: ContainerRecord): Promise<void> {
  const { env, pod } = rc;
  const cur = rec.current!;
  const now = env.ctx.clock.nowMs();
  const finished = cur.finishedAt?.getTime() ?? now;
  if (inBackoffSince(rec.backoff, finished, now)) {
    const message = `back-off ${formatDuration(rec.backoff.delayMs)} restarting failed container=${rec.spec.name} pod=${podRef(pod)}`;
    if (rec.backoffEventFor !== cur.id) {
      rec.backoffEventFor = cur.id;
      env.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${rec.spec.name} in pod ${podRef(pod)}`);
    }
    if (rec.waiting?.reason !== 'ErrImagePull' && rec.waiting?.reason !== 'ImagePullBackOff')
      rec.waiting = { reason: 'CrashLoopBackOff', message };
    rc.wakeAt(backoffEndsAt(rec.backoff, finished));
    return;
  }
  if (rec.backoffFor !== cur.id) {
    rec.backoff = nextBackoff(rec.backoff, finished, now);
    rec.backoffFor = cur.id;
  }
  await startContainer(rc, rec, rec.restartCount + 1);
}
