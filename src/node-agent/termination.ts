/**
 * Graceful termination of a pod: preStop hooks, then SIGTERM with the remaining grace period
 * (SIGKILL after it), removal of containers and sandbox, a last status, and the final delete
 * with gracePeriodSeconds 0 that lets the API server drop the pod.
 */
import { TugboatError } from '../model/errors.js';
import type { ContainerRecord } from './container-record.js';
import type { PodWorker } from './pod-worker.js';
import { probeAction, runProbe, unrunnableLifecycleHandler } from './probes.js';

/** The grace period of a pod being deleted, in ms: deletionGracePeriodSeconds, else terminationGracePeriodSeconds. */
function deletionGraceMs(worker: PodWorker): number {
  const pod = worker.pod;
  return (pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
}

/**
 * Runs preStop hooks of running containers, then stops every container with what is left of
 * `graceMs`; with `remove`, also removes the containers and the sandbox. As the kubelet's
 * termination ordering: the app (and regular init) containers are stopped first, then the
 * sidecars one by one in reverse order of declaration, each waiting for the ones before it;
 * every preStop hook runs at once, and all share the one grace period.
 */
export async function stopAll(worker: PodWorker, graceMs: number, remove = true): Promise<void> {
  const env = worker.env;
  const start = env.ctx.clock.nowMs();
  const stop = (rec: ContainerRecord, turn: Promise<unknown>) => stopOne(worker, rec, start, graceMs, turn);
  const mains = Promise.all(worker.records.filter((r) => !r.sidecar).map((rec) => stop(rec, Promise.resolve())));
  let turn: Promise<unknown> = mains;
  const sidecars = [...worker.init]
    .filter((r) => r.sidecar)
    .reverse()
    .map((rec) => (turn = stop(rec, turn)));
  await Promise.all([mains, ...sidecars]);
  if (!remove || !env.alive()) return;
  await removeRuntimeObjects(worker);
}

/** Stops one container: its preStop hook (exec, httpGet or sleep; tcpSocket fails, as in 1.30) at once, then (once `turn` resolves) SIGTERM with the grace left. */
async function stopOne(worker: PodWorker, rec: ContainerRecord, start: number, graceMs: number, turn: Promise<unknown>): Promise<void> {
  const env = worker.env;
  const clock = env.ctx.clock;
  const cur = rec.current;
  if (!cur || cur.state === 'exited' || !env.alive()) return void (await turn);
  const hook = rec.spec.lifecycle?.preStop;
  const action = hook && probeAction(hook, rec.spec);
  const unrunnable = hook && unrunnableLifecycleHandler(hook);
  if (unrunnable && graceMs > 0) {
    env.record(worker.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${unrunnable}`);
  } else if (hook?.sleep && graceMs > 0) {
    // The sleep action (PodLifecycleSleepAction, on by default in 1.30): the kubelet sleeps in
    // its own process, cut short by the grace period; the container keeps serving meanwhile,
    // while the pod's endpoints are already terminating, so the load balancers drop it first.
    await clock.sleep(Math.min(Math.max(0, hook.sleep.seconds) * 1000, graceMs));
  } else if (action && graceMs > 0) {
    const outcome = await runProbe(env.runtime, cur.id, worker.sandbox, action, graceMs);
    if (outcome.result === 'failure')
      env.record(worker.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${outcome.message ?? ''}`);
  }
  await turn;
  if (!env.alive()) return;
  env.record(worker.pod, 'Normal', 'Killing', `Stopping container ${rec.spec.name}`);
  const left = Math.max(0, graceMs - (clock.nowMs() - start));
  await env.runtime.stopContainer(cur.id, left);
  rec.current = await env.runtime
    .inspectContainer(cur.id)
    .catch(() => ({ ...cur, state: 'exited' as const, exitCode: cur.exitCode ?? 137, finishedAt: clock.now() }));
}

/** Removes every container and the sandbox of the pod from the runtime. */
async function removeRuntimeObjects(worker: PodWorker): Promise<void> {
  const env = worker.env;
  for (const rec of worker.records) {
    for (const c of [rec.previous, rec.current]) if (c) await env.limit(() => env.runtime.removeContainer(c.id)).catch(() => undefined);
  }
  for (const id of [...worker.retiredSandboxes, ...(worker.sandbox ? [worker.sandbox.id] : [])]) {
    await env.limit(() => env.runtime.stopSandbox(id)).catch(() => undefined);
    await env.limit(() => env.runtime.removeSandbox(id)).catch(() => undefined);
  }
}

/** Carries out the deletion of a pod that has a deletionTimestamp, ending with the delete of gracePeriodSeconds 0. */
export async function terminatePod(worker: PodWorker): Promise<void> {
  const env = worker.env;
  await stopAll(worker, deletionGraceMs(worker), false);
  if (!env.alive()) return;
  await worker.writeStatus().catch(() => undefined);
  await removeRuntimeObjects(worker);
  if (!env.alive()) return;
  const pod = worker.pod;
  try {
    await env
      .pods(pod.metadata.namespace ?? 'default')
      .delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: worker.uid } });
  } catch (err) {
    if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
  }
}
