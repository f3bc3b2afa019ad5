/**
 * The Docker side of reclaiming what dead clusters left: containers, sandboxes, volumes,
 * networks and state folders whose owner is gone (runtime-adapters/instance.ts says how that is
 * decided), whatever their cluster or node name. Never a live owner's, never this runtime's own.
 */
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ownerLiveness, parseOwner, reclaimable, type ReclaimOptions } from '../instance.js';
import { RUNTIME_LABELS, type ReclaimReport } from '../types.js';
import { OWNER_FILE } from './containers.js';
import { ignoreStatus } from './errors.js';
import { removeNetwork } from './network.js';
import type { DockerScope } from './scope.js';

/** Removes every tugboat object on the daemon (and state folder here) whose owner is gone. */
export async function reclaimDaemon(scope: DockerScope, options: ReclaimOptions = {}): Promise<ReclaimReport> {
  const docker = scope.docker;
  const self = scope.instance;
  const listed = await docker.listContainers({ all: true, filters: { label: [RUNTIME_LABELS.role] } });
  const dead = listed.filter((c) => reclaimable(c.Labels ?? {}, new Date(c.Created * 1000), options, self));
  // App containers first, then sandboxes (their namespaces), as a node agent removes them.
  const role = (c: (typeof dead)[number]) => c.Labels?.[RUNTIME_LABELS.role];
  for (const batch of [dead.filter((c) => role(c) !== 'sandbox'), dead.filter((c) => role(c) === 'sandbox')]) {
    await Promise.all(batch.map((c) => ignoreStatus(docker.getContainer(c.Id).remove({ force: true, v: true }), 409)));
  }
  let other = 0;
  const { Volumes } = await docker.listVolumes({ filters: { label: [RUNTIME_LABELS.owner] } });
  for (const v of Volumes ?? []) {
    const created = (v as { CreatedAt?: string }).CreatedAt;
    if (!reclaimable(v.Labels ?? {}, created ? new Date(created) : undefined, options, self)) continue;
    if ((await ignoreStatus(docker.getVolume(v.Name).remove(), 409)) !== undefined) other++;
  }
  for (const n of await docker.listNetworks({ filters: { label: [RUNTIME_LABELS.owner] } })) {
    if (!reclaimable(n.Labels ?? {}, n.Created ? new Date(n.Created) : undefined, options, self)) continue;
    if (await removeNetwork(scope, n)) other++;
  }
  other += await reclaimStateDirs(scope, options);
  return { containers: dead.length, other };
}

/** Removes the state folders (`<stateDir>/<instance>/`) whose owner.json names a gone owner. */
async function reclaimStateDirs(scope: DockerScope, options: ReclaimOptions): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(scope.stateDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of entries) {
    const dir = path.join(scope.stateDir, name);
    if (dir === scope.instanceDir()) continue;
    let record: { owner?: unknown; instance?: string } | undefined;
    try {
      record = JSON.parse(await readFile(path.join(dir, OWNER_FILE), 'utf8')) as typeof record;
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
  await removeIfEmpty(scope.stateDir);
  return removed;
}

async function olderThan(dir: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(dir)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** Removes a folder if it is empty; anything else (not empty, absent, in use) is fine. */
export async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => undefined);
}
