/**
 * The process runtime's state directory:
 * `sandboxes/<id>.json`, `sandboxes/<id>/volumes/<name>/` (emptyDir),
 * `containers/<id>/record.json`, `stdout.log`, `stderr.log`, `files/<volume>/` (ConfigMap/Secret files),
 * `addresses/<ip>` (the lease of a pod address: the id of the sandbox holding it).
 * Records are written atomically (temp file + rename), mode 0600 (they hold the env).
 */
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerRecord, SandboxRecord } from './types.js';

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

let tmpSeq = 0;
async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${++tmpSeq}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** RecordStore reads and writes the JSON records of one state directory. */
export class RecordStore {
  constructor(readonly root: string) {}

  sandboxDir(id: string): string {
    return join(this.root, 'sandboxes', id);
  }

  containerDir(id: string): string {
    return join(this.root, 'containers', id);
  }

  async putSandbox(r: SandboxRecord): Promise<void> {
    await mkdir(this.sandboxDir(r.id), { recursive: true });
    await writeJson(`${this.sandboxDir(r.id)}.json`, r);
  }

  getSandbox(id: string): Promise<SandboxRecord | undefined> {
    return readJson(`${this.sandboxDir(id)}.json`);
  }

  async sandboxes(): Promise<SandboxRecord[]> {
    const files = (await names(join(this.root, 'sandboxes'))).filter((n) => n.endsWith('.json'));
    const all = await Promise.all(files.map((n) => this.getSandbox(n.slice(0, -5))));
    return all.filter((r): r is SandboxRecord => r !== undefined);
  }

  async removeSandbox(id: string): Promise<void> {
    await rm(`${this.sandboxDir(id)}.json`, { force: true });
    await rm(this.sandboxDir(id), { recursive: true, force: true });
  }

  async putContainer(r: ContainerRecord): Promise<void> {
    await mkdir(this.containerDir(r.id), { recursive: true });
    await writeJson(join(this.containerDir(r.id), 'record.json'), r);
  }

  getContainer(id: string): Promise<ContainerRecord | undefined> {
    return readJson(join(this.containerDir(id), 'record.json'));
  }

  async containers(): Promise<ContainerRecord[]> {
    const ids = await names(join(this.root, 'containers'));
    const all = await Promise.all(ids.map((id) => this.getContainer(id)));
    return all.filter((r): r is ContainerRecord => r !== undefined);
  }

  async removeContainer(id: string): Promise<void> {
    await rm(this.containerDir(id), { recursive: true, force: true });
  }

  /**
   * Leases a pod address to a sandbox: true when it was free (created exclusively, so two
   * runtimes over one folder never lease the same address), false when someone holds it.
   */
  async leaseAddress(ip: string, sandboxId: string): Promise<boolean> {
    await mkdir(join(this.root, 'addresses'), { recursive: true });
    try {
      const f = await open(this.addressPath(ip), 'wx', 0o600);
      await f.writeFile(sandboxId);
      await f.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Who holds an address lease and since when (ms), or undefined when nobody does. */
  async addressLease(ip: string): Promise<{ sandboxId: string; sinceMs: number } | undefined> {
    try {
      const [sandboxId, info] = await Promise.all([readFile(this.addressPath(ip), 'utf8'), stat(this.addressPath(ip))]);
      return { sandboxId, sinceMs: info.mtimeMs };
    } catch {
      return undefined;
    }
  }

  /** Ends an address lease. Idempotent. */
  async releaseAddress(ip: string): Promise<void> {
    await rm(this.addressPath(ip), { force: true });
  }

  private addressPath(ip: string): string {
    return join(this.root, 'addresses', ip);
  }
}
