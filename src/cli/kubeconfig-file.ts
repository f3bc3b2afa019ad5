/**
 * Where the CLI keeps kubeconfigs: the path `--kubeconfig` names, else `$KUBECONFIG` (its first
 * entry), else `~/.kube/<cluster>.yaml` for the one `tugboat up` writes; written owner-only and
 * atomically, so a reader waiting for the file never sees half of it.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

/** The kubeconfig `tugboat up` writes for cluster `name` when no path is given. */
export function defaultUpKubeconfigPath(name: string, env: Readonly<Record<string, string | undefined>>): string {
  return join(env.HOME || homedir(), '.kube', `${name}.yaml`);
}

/** The kubeconfig a client command reads: `flag`, else the first entry of `$KUBECONFIG`, else `~/.kube/config`. */
export function clientKubeconfigPath(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (flag) return resolve(flag);
  const first = env.KUBECONFIG?.split(delimiter).find((p) => p !== '');
  return first ? resolve(first) : join(env.HOME || homedir(), '.kube', 'config');
}

/** Writes `text` at `path` (mode 0600), through a temporary file renamed over it. */
export async function writeKubeconfig(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

/** Removes the kubeconfig at `path` if it still holds `text` (nobody replaced it since). */
export async function removeKubeconfigIfOurs(path: string, text: string): Promise<void> {
  const now = await readFile(path, 'utf8').catch(() => undefined);
  if (now === text) await rm(path, { force: true });
}
