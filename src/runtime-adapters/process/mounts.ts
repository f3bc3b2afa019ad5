/**
 * Volumes for processes. A process cannot see a remapped filesystem, so a mount is
 * materialised on the host (emptyDir: a folder of the sandbox; files: a folder of the
 * container; hostPath: the path itself) and its path is exported to the process as
 * `TUGBOAT_VOLUME_<NAME>` (NAME: the volume name, or for hostPath the last segment of the
 * containerPath, upper-cased, other characters as '_'). `containerPath` is not honoured.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize } from 'node:path';
import type { Mount } from '../types.js';

/** The env variable name under which a mount's host path is exported. */
function volumeEnvName(mount: Mount): string {
  const name = mount.kind === 'hostPath' ? basename(mount.containerPath) || 'root' : mount.volume;
  return `TUGBOAT_VOLUME_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Creates what the mounts need on the host; returns the env variables that point at them. */
export async function materialiseMounts(mounts: Mount[], dirs: { sandbox: string; container: string }): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const m of mounts) {
    let path: string;
    if (m.kind === 'hostPath') {
      path = m.hostPath;
    } else if (m.kind === 'emptyDir') {
      path = join(dirs.sandbox, 'volumes', safe(m.volume));
      await mkdir(path, { recursive: true });
    } else {
      // ConfigMap/Secret files: in 0700 folders, each file with its mode (items' mode, else
      // defaultMode, else 0644), so other users of this machine cannot read them.
      path = join(dirs.container, 'files', safe(m.volume));
      await mkdir(path, { recursive: true, mode: 0o700 });
      await chmod(dirs.container, 0o700);
      await chmod(dirname(path), 0o700);
      for (const [name, content] of Object.entries(m.files)) {
        const file = normalize(join(path, name));
        if (!file.startsWith(path)) continue; // no escaping the volume with '..'
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeFile(file, content, { mode: 0o600 });
        await chmod(file, m.modes?.[name] ?? m.mode ?? 0o644);
      }
    }
    env[volumeEnvName(m)] = path;
  }
  return env;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
