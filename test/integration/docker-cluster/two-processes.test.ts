/**
 * Two processes on one Docker daemon, each a cluster with every default option (cluster name
 * 'tugboat', node named after the host: two test files in parallel), each with a Deployment:
 * neither's start-up sweep or stop touches the other's pods, both stay healthy, both clean up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { dockerClient, dockerForTests } from '../../support/docker.js';

const docker = await dockerForTests();
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'default-cluster.ts');

/** A fixture process and the lines it prints. */
class Fixture {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: Array<() => void> = [];
  stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: path.resolve(here, '../../..') });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      this.lines.push(l);
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('exit', () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The first printed line starting with `prefix` (waits for it; fails if the process ends first or after `timeoutMs`). */
  async line(prefix: string, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.findIndex((l) => l.startsWith(prefix));
      if (found >= 0) return this.lines.splice(found, 1)[0];
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no "${prefix}" line (exit ${this.child.exitCode}): ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  send(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }
}

async function leftoversOf(instance: string): Promise<string[]> {
  const d = dockerClient();
  const filters = { label: [`${RUNTIME_LABELS.instance}=${instance}`] };
  const [containers, volumes, networks] = await Promise.all([
    d.listContainers({ all: true, filters }),
    d.listVolumes({ filters }),
    d.listNetworks({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(existsSync(path.join(os.tmpdir(), 'tugboat-docker', instance)) ? [`folder ${instance}`] : []),
  ];
}

describe.skipIf(!docker)('two processes with default cluster options on one Docker daemon', { timeout: 240_000 }, () => {
  const fixtures: Fixture[] = [];
  afterAll(() => {
    for (const f of fixtures) if (f.child.exitCode === null) f.child.kill('SIGKILL');
  });

  it('both stay healthy, neither touches the other, and both clean up', async () => {
    fixtures.push(new Fixture(), new Fixture());
    const [a, b] = fixtures;
    const ids = (await Promise.all([a.line('READY'), b.line('READY')])).map((l) => l.split(' ')[1]);
    expect(ids[0]).not.toBe(ids[1]);
    // Same cluster name, same node name, separate instances: each has its own network.
    for (const id of ids) {
      const nets = await dockerClient().listNetworks({ filters: { label: [`${RUNTIME_LABELS.instance}=${id}`] } });
      expect(nets).toHaveLength(1);
      const mine = await dockerClient().listContainers({
        filters: { label: [`${RUNTIME_LABELS.instance}=${id}`, `${RUNTIME_LABELS.cluster}=tugboat`] },
      });
      expect(mine).toHaveLength(4); // 2 pods: 2 sandboxes + 2 app containers, all running
    }
    a.send('CHECK');
    b.send('CHECK');
    expect(await a.line('HEALTHY')).toBe('HEALTHY 2');
    expect(await b.line('HEALTHY')).toBe('HEALTHY 2');

    // A stops: B's pods are untouched and still serve; then B stops too.
    a.send('STOP');
    await a.line('STOPPED');
    expect(await leftoversOf(ids[0])).toEqual([]);
    b.send('CHECK');
    expect(await b.line('HEALTHY')).toBe('HEALTHY 2');
    b.send('STOP');
    await b.line('STOPPED');
    expect(await leftoversOf(ids[1])).toEqual([]);
  });
});
