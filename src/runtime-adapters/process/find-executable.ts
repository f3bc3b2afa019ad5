/**
 * Finding a command's executable as execvp(3) does, before starting it on a terminal: a pty's
 * child cannot report a failed exec apart from its own exit code 1.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/** The search path execvp(3) uses when the environment has no PATH (glibc's). */
const DEFAULT_PATH = '/bin:/usr/bin';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The path `file` runs as: a name with a slash is taken relative to `cwd`, a bare name is looked
 * up in `path` (a `PATH` value; an empty entry means `cwd`). Undefined when no executable file is there.
 */
export async function findExecutable(file: string, path: string | undefined, cwd: string): Promise<string | undefined> {
  if (file === '') return undefined;
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : join(cwd, file);
    return (await isExecutableFile(full)) ? full : undefined;
  }
  for (const dir of (path ?? DEFAULT_PATH).split(delimiter)) {
    const full = isAbsolute(dir) ? join(dir, file) : join(cwd, dir, file);
    if (await isExecutableFile(full)) return full;
  }
  return undefined;
}
