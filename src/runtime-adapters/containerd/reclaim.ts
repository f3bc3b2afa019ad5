/**
 * The containerd side of reclaiming what dead clusters left in the namespace: containers and
 * sandboxes (tasks, snapshots, pod networks) and state folders whose owner is gone
 * (runtime-adapters/instance.ts says how that is decided), whatever their cluster or node name.
 * Never a live owner's, never this runtime's own.
 */
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ownerLiveness, parseOwner, reclaimable, type ReclaimOptions } from '../instance.js';
import type { ReclaimReport } from '../types.js';
import { OWNER_FILE } from './pod-files.js';
import { toDate, type ContainerdScope } from './scope.js';

/** Removes every tugboat container and sandbox of the namespace (and state folder here) whose owner is gone. */
export async function reclaimNamespace(
  scope: ContainerdScope,
  options: ReclaimOptions,
  remove: { container: (id: string) => Promise<void>; sandbox: (id: string) => Promise<void> },
): Promise<ReclaimReport> {
  let containers = 0;
  for (const role of ['container', 'sandbox'] as const) {
    const dead = (await scope.listRole(role)).filter((x) =>
      reclaimable(x.container.labels, toDate(x.container.created_at), options, scope.instance),
    );
    await Promise.all(
      dead.map((x) => (role === 'sandbox' ? remove.sandbox(x.container.id) : remove.container(x.container.id)).catch(() => undefined)),
    );
    containers += dead.length;
  }
  let other = 0;
  // tmpfs folders first: their owner record is in the namespace folder of the same instance.
  for (const root of [path.join(scope.shmRoot, scope.namespace), scope.namespaceDir]) other += await reclaimDirs(scope, root, options);
  return { containers, other };
}

async function reclaimDirs(scope: ContainerdScope, root: string, options: ReclaimOptions): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of entries) {
    const dir = path.join(root, name);
    if (name === scope.instance.id) continue;
    let record: { owner?: unknown; instance?: string } | undefined;
    try {
      record = JSON.parse(await readFile(path.join(scope.namespaceDir, name, OWNER_FILE), 'utf8')) as typeof record;
    } catch {
      continue; // not an instance folder (or one being made)
    }
    if (record?.instance === scope.instance.id) continue;
    const owner = parseOwner(JSON.stringify(record?.owner ?? null));
    const state = owner ? ownerLiveness(owner) : 'unknown';
    if (state === 'gone' || (state === 'unknown' && options.olderThanMs !== undefined && (await olderThan(dir, options.olderThanMs)))) {
      await rm(dir, { recursive: true, force: true });
      removed++;
    }
  }
  await rmdir(root).catch(() => undefined);
  return removed;
}

async function olderThan(dir: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(dir)).mtimeMs > ms;
  } catch {
    return false;
  }
}
