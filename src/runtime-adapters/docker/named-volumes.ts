/**
 * Docker named volumes that outlive containers (the local provisioner's PersistentVolumes on
 * Docker): made with their labels, removed only when they carry the labels asked for, so a
 * cluster never removes another cluster's volume.
 */
import { TugboatError } from '../../model/errors.js';
import { dockerStatus, ignoreStatus, toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';

const subject = (name: string) => ({ kind: 'Volume', name });

/** Makes the volume with `labels` (idempotent; an existing volume with other labels is refused). */
export async function createNamedVolume(scope: DockerScope, name: string, labels: Record<string, string>): Promise<void> {
  const existing = await ignoreStatus(scope.docker.getVolume(name).inspect(), 404).catch((err: unknown) => {
    throw toTugboatError(err, 'inspect', subject(name));
  });
  if (existing) {
    const found = (existing as { Labels?: Record<string, string> | null }).Labels ?? {};
    if (Object.entries(labels).some(([k, v]) => found[k] !== v))
      throw new TugboatError('AlreadyExists', `docker volume ${name} exists and is not this cluster's`, subject(name));
    return;
  }
  try {
    await scope.docker.createVolume({ Name: name, Labels: labels });
  } catch (err) {
    throw toTugboatError(err, 'create', subject(name));
  }
}

/** Removes the volume when it carries every label of `labels`; a missing volume is fine. */
export async function removeNamedVolume(scope: DockerScope, name: string, labels: Record<string, string>): Promise<void> {
  let found: Record<string, string>;
  try {
    found = ((await scope.docker.getVolume(name).inspect()) as { Labels?: Record<string, string> | null }).Labels ?? {};
  } catch (err) {
    if (dockerStatus(err) === 404) return;
    throw toTugboatError(err, 'inspect', subject(name));
  }
  if (Object.entries(labels).some(([k, v]) => found[k] !== v)) return; // not ours: never touched
  try {
    await ignoreStatus(scope.docker.getVolume(name).remove(), 404);
  } catch (err) {
    throw toTugboatError(err, 'remove', subject(name));
  }
}
