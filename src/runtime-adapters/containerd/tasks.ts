/**
 * Task lifecycle helpers: wait for an exit, stop with a grace period (SIGTERM, then SIGKILL to
 * every process of the task), delete. Every one is idempotent: a task already gone or stopped
 * is fine.
 */
import { grpcCode, GRPC } from './grpc-client.js';
import type { ContainerdScope } from './scope.js';

const SIGTERM = 15;
const SIGKILL = 9;

/** Ignores "no such task/process" and "already finished" of a kill or delete. */
async function ignoreGone<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    const code = grpcCode(err);
    if (code === GRPC.NOT_FOUND || code === GRPC.FAILED_PRECONDITION) return undefined;
    throw err;
  }
}

/** Sends a signal to a task (or one exec process of it); `all` signals every process of the task. */
export function killTask(scope: ContainerdScope, id: string, signal: number, all = false, execId = ''): Promise<unknown> {
  return ignoreGone(scope.call('tasks', 'Kill', { container_id: id, exec_id: execId, signal, all }));
}

/** Resolves with the exit status once the task (or exec process) has exited. */
export async function waitTask(scope: ContainerdScope, id: string, timeoutMs: number, execId = ''): Promise<number | undefined> {
  const r = await ignoreGone(scope.call<{ exit_status: number }>('tasks', 'Wait', { container_id: id, exec_id: execId }, { timeoutMs }));
  return r?.exit_status;
}

/**
 * Stops a task: SIGTERM, then SIGKILL to all its processes after `graceMs`; resolves once it
 * has exited. A created (never started) task is killed at once.
 */
export async function stopTask(scope: ContainerdScope, id: string, graceMs: number): Promise<void> {
  const task = await scope.getTask(id);
  if (!task || task.status === 'STOPPED') return;
  const waited = waitTask(scope, id, graceMs + 120_000);
  if (task.status === 'CREATED') {
    await killTask(scope, id, SIGKILL, true);
    await waited;
    return;
  }
  await killTask(scope, id, SIGTERM);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace'>((resolve) => {
    timer = setTimeout(() => resolve('grace'), Math.max(0, graceMs));
  });
  try {
    if ((await Promise.race([waited.then(() => 'exited' as const), graceOver])) === 'grace') {
      await killTask(scope, id, SIGKILL, true);
      await waited;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Deletes a stopped task (its shim and bundle). */
export async function deleteTask(scope: ContainerdScope, id: string): Promise<void> {
  await ignoreGone(scope.call('tasks', 'Delete', { container_id: id }));
}

/** Kills a task at once (SIGKILL to all), waits for its exit and deletes it. */
export async function destroyTask(scope: ContainerdScope, id: string): Promise<void> {
  const task = await scope.getTask(id);
  if (!task) return;
  if (task.status !== 'STOPPED') {
    const waited = waitTask(scope, id, 60_000);
    await killTask(scope, id, SIGKILL, true);
    await waited;
  }
  await deleteTask(scope, id);
}

/** Removes a snapshot; gone already is fine. */
export async function removeSnapshot(scope: ContainerdScope, key: string): Promise<void> {
  await ignoreGone(scope.call('snapshots', 'Remove', { snapshotter: scope.snapshotter, key }));
}

/** Deletes a container record; gone already is fine. */
export async function deleteContainerRecord(scope: ContainerdScope, id: string): Promise<void> {
  await ignoreGone(scope.call('containers', 'Delete', { id }));
}
