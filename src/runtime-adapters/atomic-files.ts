/**
 * The kubelet's atomic writer, for the files of ConfigMap, Secret, downward API and projected
 * volumes: the files live in a timestamped folder (`..2026_12_02_13_06_40.123`), `..data` is a
 * symlink to it, and each top-level entry of the volume is a symlink through `..data`. An update
 * writes a new timestamped folder and swaps `..data` with one rename, so a reader sees either
 * the old set of files or the new one, never a mix; the old folder is removed after the swap.
 * Every link is relative, so the layout reads the same through a bind mount in a container.
 */
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize, sep } from 'node:path';

/** The name of the link to the current timestamped folder. */
export const DATA_DIR_LINK = '..data';
const DATA_DIR_TMP = '..data_tmp';

/** How to write a volume's files. */
export interface AtomicFilesOptions {
  /** The mode of every file. @default 0o644 */
  mode?: number;
  /** Per-file modes, by the same keys as the files. */
  modes?: Record<string, number>;
  /** The mode of the volume folder and the folders in it. @default 0o755 */
  dirMode?: number;
}

/**
 * Whether a files mount is one file (a subPath naming one key: its only key is ''), which a
 * runtime mounts as that file at `containerPath`.
 */
export function isSingleFile(m: { files: Record<string, Uint8Array> }): boolean {
  const keys = Object.keys(m.files);
  return keys.length === 1 && keys[0] === '';
}

/** The folder name (in a pod's files folder) of a single-file mount: unique per volume, container and mount. */
export function singleFileDir(volume: string, container: string, index: number): string {
  return `${volume}~${container}~${index}`.replace(/[^A-Za-z0-9._~-]/g, '_');
}

/** The user-visible paths of a file set that stay inside the volume (no absolute paths, no '..'). */
function safeEntries(files: Record<string, Uint8Array>): [string, Uint8Array][] {
  return Object.entries(files).filter(([k]) => k !== '' && !k.startsWith('/') && !k.split('/').includes('..') && !k.startsWith('..'));
}

/** The timestamped folder's prefix, as the kubelet names it (`..2006_01_02_15_04_05.`). */
function stampPrefix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

/** Whether the folder holds exactly these files with these contents. */
async function sameFiles(dir: string, files: [string, Uint8Array][]): Promise<boolean> {
  const found = await listFiles(dir).catch(() => undefined);
  if (!found || found.length !== files.length) return false;
  for (const [name, content] of files) {
    const old = await readFile(join(dir, name)).catch(() => undefined);
    if (!old || !Buffer.from(content).equals(old)) return false;
  }
  return true;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

/**
 * Writes `files` into `dir` with the atomic writer's layout; returns false when the volume
 * already held exactly these files (nothing written). Creates `dir` when missing.
 */
export async function writeAtomicFiles(dir: string, files: Record<string, Uint8Array>, options: AtomicFilesOptions = {}): Promise<boolean> {
  const dirMode = options.dirMode ?? 0o755;
  const entries = safeEntries(files);
  await mkdir(dir, { recursive: true, mode: dirMode });
  const current = await readlink(join(dir, DATA_DIR_LINK)).catch(() => undefined);
  if (current !== undefined && (await sameFiles(join(dir, current), entries))) {
    await applyModes(join(dir, current), entries, options);
    return false;
  }
  const stamped = await mkdtemp(join(dir, stampPrefix(new Date())));
  await chmod(stamped, dirMode);
  for (const [name, content] of entries) {
    const file = normalize(join(stamped, name));
    if (!file.startsWith(stamped + sep)) continue;
    await mkdir(dirname(file), { recursive: true, mode: dirMode });
    await writeFile(file, content, { mode: 0o600 });
  }
  await applyModes(stamped, entries, options);
  // The swap: a new link beside the old one, renamed over it (rename is atomic).
  await unlink(join(dir, DATA_DIR_TMP)).catch(() => undefined);
  await symlink(basename(stamped), join(dir, DATA_DIR_TMP));
  await rename(join(dir, DATA_DIR_TMP), join(dir, DATA_DIR_LINK));
  const top = new Set(entries.map(([name]) => name.split('/')[0]));
  for (const name of top) {
    const link = join(dir, name);
    const st = await lstat(link).catch(() => undefined);
    if (st?.isSymbolicLink()) continue;
    if (st) await rm(link, { recursive: true, force: true }); // a plain file of an older layout
    await symlink(`${DATA_DIR_LINK}/${name}`, link);
  }
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('..')) {
      if (e.name !== DATA_DIR_LINK && e.name !== basename(stamped) && e.isDirectory())
        await rm(join(dir, e.name), { recursive: true, force: true });
      continue;
    }
    if (!top.has(e.name)) await rm(join(dir, e.name), { recursive: true, force: true });
  }
  return true;
}

async function applyModes(stamped: string, entries: [string, Uint8Array][], options: AtomicFilesOptions): Promise<void> {
  for (const [name] of entries) await chmod(join(stamped, name), options.modes?.[name] ?? options.mode ?? 0o644);
}
