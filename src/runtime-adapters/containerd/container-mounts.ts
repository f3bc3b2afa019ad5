/**
 * A container's volumes as OCI bind mounts (pure planning, then the files): hostPath binds the
 * host path; emptyDir binds a folder of the pod (under /dev/shm for medium Memory), shared by the
 * pod's containers; ConfigMap/Secret files are written to a folder of the pod and bound
 * read-only; the pod's /etc/hosts, /etc/hostname and /etc/resolv.conf are bound too.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { isSingleFile, singleFileDir, writeAtomicFiles } from '../atomic-files.js';
import path from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import type { Mount } from '../types.js';
import type { OciMount } from './oci-spec.js';
import { safe } from './scope.js';

/** Folders to make and files to write before the container is created. */
export interface MountPlan {
  mounts: OciMount[];
  dirs: Array<{ dir: string; mode: number }>;
  files: Array<{ dir: string; files: Record<string, Uint8Array>; mode: number; modes: Record<string, number> }>;
}

const bind = (source: string, destination: string, readOnly: boolean): OciMount => ({
  destination,
  type: 'bind',
  source,
  options: ['rbind', 'rprivate', readOnly ? 'ro' : 'rw'],
});

/**
 * Plans the mounts of a container (pure): `podDir` and `shmDir` are the pod's folders on disk and
 * on tmpfs. Throws Invalid naming the field of a relative container path or a bad file key.
 */
export function planMounts(container: string, mounts: Mount[], podDir: string, shmDir: string): MountPlan {
  const plan: MountPlan = { mounts: [], dirs: [], files: [] };
  mounts.forEach((m, i) => {
    const field = `mounts[${i}]`;
    if (!path.posix.isAbsolute(m.containerPath)) {
      throw TugboatError.invalid({ kind: 'Container' }, container, [fieldError(`${field}.containerPath`, 'must be an absolute path')]);
    }
    const readOnly = m.readOnly ?? false;
    if (m.kind === 'volume') {
      throw TugboatError.invalid({ kind: 'Container' }, container, [
        fieldError(field, 'containerd has no named volumes (its volumes are host folders)'),
      ]);
    } else if (m.kind === 'hostPath') {
      plan.mounts.push(bind(m.hostPath, m.containerPath, readOnly));
    } else if (m.kind === 'emptyDir') {
      const dir = path.join(m.medium === 'Memory' ? shmDir : path.join(podDir, 'volumes'), safe(m.volume));
      plan.dirs.push({ dir, mode: 0o777 });
      plan.mounts.push(bind(dir, m.containerPath, readOnly));
    } else if (isSingleFile(m)) {
      // A subPath to one key: the file itself is bind-mounted (it never follows updates, as in Kubernetes).
      const file = path.posix.basename(m.containerPath) || 'file';
      const dir = path.join(podDir, 'files', singleFileDir(m.volume, container, i));
      plan.files.push({ dir, files: { [file]: m.files[''] }, mode: m.modes?.[''] ?? m.mode ?? 0o644, modes: {} });
      plan.mounts.push(bind(path.join(dir, file), m.containerPath, m.readOnly ?? true));
    } else {
      for (const key of Object.keys(m.files)) {
        if (key === '' || path.posix.isAbsolute(key) || key.split('/').includes('..')) {
          throw TugboatError.invalid({ kind: 'Container' }, container, [
            fieldError(`${field}.files[${key}]`, 'must be a relative path without ".."'),
          ]);
        }
      }
      const dir = path.join(podDir, 'files', safe(m.volume));
      plan.files.push({ dir, files: m.files, mode: m.mode ?? 0o644, modes: { ...m.modes } });
      plan.mounts.push(bind(dir, m.containerPath, m.readOnly ?? true));
    }
  });
  return plan;
}

/** The pod's /etc files as mounts (after the volumes, unless a volume mounts that path already). */
export function etcMounts(podDir: string, taken: OciMount[]): OciMount[] {
  const etc = path.join(podDir, 'etc');
  return [
    bind(path.join(etc, 'hosts'), '/etc/hosts', false),
    bind(path.join(etc, 'hostname'), '/etc/hostname', false),
    bind(path.join(etc, 'resolv.conf'), '/etc/resolv.conf', false),
  ].filter((m) => !taken.some((t) => t.destination === m.destination || t.destination === '/etc'));
}

/** Makes the planned folders and writes the planned files (each with its mode). */
export async function prepareMounts(plan: MountPlan): Promise<void> {
  for (const d of plan.dirs) {
    await mkdir(d.dir, { recursive: true, mode: d.mode });
    await chmod(d.dir, d.mode);
  }
  for (const f of plan.files) await writeAtomicFiles(f.dir, f.files, { mode: f.mode, modes: f.modes });
}
