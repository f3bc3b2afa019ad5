/**
 * Volumes for processes. A process cannot see a remapped filesystem, so a mount is
 * materialised on the host (emptyDir: a folder of the sandbox; files: a folder of the
 * container; hostPath: the path itself) and its path is exported to the process as
 * `TUGBOAT_VOLUME_<NAME>` (NAME: the volume name, or for hostPath the last segment of the
 * containerPath, upper-cased, other characters as '_'). `containerPath` is not honoured.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fieldError, TugboatError } from '../../model/errors.js';
import { isSingleFile, singleFileDir, writeAtomicFiles } from '../atomic-files.js';
import type { FilesMount, Mount } from '../types.js';

/** The env variable name under which a mount's host path is exported. */
function volumeEnvName(mount: Mount): string {
  const name = mount.kind === 'hostPath' ? basename(mount.containerPath) || 'root' : mount.kind === 'volume' ? mount.name : mount.volume;
  return `TUGBOAT_VOLUME_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Creates what the mounts need on the host; returns the env variables that point at them. */
export async function materialiseMounts(mounts: Mount[], dirs: { sandbox: string; container: string }): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [index, m] of mounts.entries()) {
    let path: string;
    if (m.kind === 'volume') {
      throw TugboatError.invalid({ kind: 'containers' }, m.name, [
        fieldError(`mounts[${index}]`, 'the process runtime has no named volumes (its volumes are host folders)'),
      ]);
    } else if (m.kind === 'hostPath') {
      path = m.hostPath;
    } else if (m.kind === 'emptyDir') {
      path = join(dirs.sandbox, 'volumes', safe(m.volume));
      await mkdir(path, { recursive: true });
    } else if (isSingleFile(m)) {
      // A subPath to one key: the variable names the file itself (never updated, as in Kubernetes).
      const dir = join(dirs.container, 'files', singleFileDir(m.volume, '', index));
      const name = basename(m.containerPath) || 'file';
      await writeAtomicFiles(dir, { [name]: m.files[''] }, { dirMode: 0o700, mode: m.modes?.[''] ?? m.mode ?? 0o644 });
      path = join(dir, name);
    } else {
      // ConfigMap/Secret files: in 0700 folders, each file with its mode (items' mode, else
      // defaultMode, else 0644), so other users of this machine cannot read them.
      path = filesMountDir(dirs.container, m.volume);
      await mkdir(path, { recursive: true, mode: 0o700 });
      await chmod(dirs.container, 0o700);
      await chmod(dirname(path), 0o700);
      await writeFilesMount(path, m);
    }
    env[volumeEnvName(m)] = path;
  }
  return env;
}

/** The folder of a container's files mount, under the container's folder. */
export function filesMountDir(containerDir: string, volume: string): string {
  return join(containerDir, 'files', safe(volume));
}

/** Writes (or rewrites, swapping `..data`) the files of a files mount into its folder. */
export async function writeFilesMount(path: string, m: FilesMount): Promise<boolean> {
  return writeAtomicFiles(path, m.files, { dirMode: 0o700, mode: m.mode ?? 0o644, ...(m.modes ? { modes: m.modes } : {}) });
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
