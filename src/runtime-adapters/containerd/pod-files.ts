/**
 * The files of a pod on this machine: its folder (0700, under the instance's folder with
 * owner.json naming the instance and its owner, so a reclaim can tell when it is left over),
 * the /etc/hosts, /etc/hostname and /etc/resolv.conf its containers get, and its CNI result.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseOwner } from '../instance.js';
import { RUNTIME_LABELS } from '../types.js';
import type { CniResult } from './cni.js';
import type { ContainerdScope } from './scope.js';

/** The file naming the owner of an instance folder. */
export const OWNER_FILE = 'owner.json';

/** Makes a pod's folder (and its instance folder with owner.json). */
export async function makePodDir(scope: ContainerdScope, dir: string, labels: Record<string, string>): Promise<void> {
  const instanceDir = path.dirname(path.dirname(dir));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(instanceDir, 0o700);
  const owner = parseOwner(labels[RUNTIME_LABELS.owner]);
  const record = {
    instance: labels[RUNTIME_LABELS.instance] ?? '',
    cluster: labels[RUNTIME_LABELS.cluster] ?? scope.clusterName,
    ...(owner ? { owner } : {}),
  };
  await writeFile(path.join(instanceDir, OWNER_FILE), JSON.stringify(record), { mode: 0o600, flag: 'wx' }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
}

/** The /etc files of a pod's containers, in its folder; returns their paths. */
export async function writeEtcFiles(
  dir: string,
  hostname: string,
  ip: string,
): Promise<{ hosts: string; hostname: string; resolv: string }> {
  const etc = path.join(dir, 'etc');
  await mkdir(etc, { recursive: true, mode: 0o755 });
  const files = { hosts: path.join(etc, 'hosts'), hostname: path.join(etc, 'hostname'), resolv: path.join(etc, 'resolv.conf') };
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  if (ip) lines.push(`${ip}\t${hostname}`);
  await writeFile(files.hosts, `${lines.join('\n')}\n`, { mode: 0o644 });
  await writeFile(files.hostname, `${hostname}\n`, { mode: 0o644 });
  const resolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  await writeFile(files.resolv, resolv, { mode: 0o644 });
  return files;
}

/** Keeps a sandbox's CNI ADD result (DEL hands it back). */
export async function saveCniResult(dir: string, result: CniResult, portMappings: unknown[]): Promise<void> {
  await writeFile(path.join(dir, 'cni.json'), JSON.stringify({ result, portMappings }), { mode: 0o600 });
}

/** A sandbox's kept CNI result; undefined when the network is down already (or was never up). */
export async function loadCniResult(dir: string): Promise<{ result: CniResult; portMappings: unknown[] } | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'cni.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Forgets a sandbox's CNI result (its network is down). */
export async function dropCniResult(dir: string): Promise<void> {
  await rm(path.join(dir, 'cni.json'), { force: true });
}
