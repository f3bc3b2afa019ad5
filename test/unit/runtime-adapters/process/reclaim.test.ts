import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock } from '../../../../src/clock/real-clock.js';
import { RuntimeInstance } from '../../../../src/runtime-adapters/instance.js';
import { ProcessRuntime } from '../../../../src/runtime-adapters/process/index.js';
import { RUNTIME_LABELS, type ContainerConfig } from '../../../../src/runtime-adapters/types.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tugboat-process-reclaim-'));
  dirs.push(d);
  return d;
}

function sleeper(labels: Record<string, string>, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name: 'c', image: 'host', command: ['sleep', '1000'], env: {}, mounts: [], ports: [], resources: {}, labels, ...extra };
}

async function podOf(runtime: ProcessRuntime, labels: Record<string, string>, extra: Partial<ContainerConfig> = {}): Promise<string> {
  const sb = await runtime.runSandbox({
    podUid: labels[RUNTIME_LABELS.podUid],
    namespace: 'ns',
    podName: 'p',
    hostname: 'p',
    labels,
    ports: [],
  });
  const id = await runtime.createContainer(sb.id, sleeper(labels, extra));
  await runtime.startContainer(id);
  return id;
}

describe('ProcessRuntime: instances, reclaim and leaving nothing behind', () => {
  it("reclaim() kills and removes what a gone owner left, and keeps a live owner's", async () => {
    const dir = await stateDir();
    const runtime = new ProcessRuntime({ stateDir: dir, adoptedPollMs: 100 });
    const live = RuntimeInstance.create('x', { recordDir: join(dir, '..', `${dir.split('/').pop()}-records`) });
    dirs.push(join(dir, '..', `${dir.split('/').pop()}-records`));
    await live.acquire();
    const dead = RuntimeInstance.create('x', { recordDir: join(dir, 'none') });
    const deadLabels = {
      ...dead.labels,
      [RUNTIME_LABELS.owner]: JSON.stringify({ ...dead.owner, pid: spawnSync(process.execPath, ['-e', '0']).pid }),
    };
    const keep = await podOf(runtime, { ...live.labels, [RUNTIME_LABELS.podUid]: 'live' });
    const gone = await podOf(runtime, { ...deadLabels, [RUNTIME_LABELS.podUid]: 'dead' });
    const report = await runtime.reclaim();
    expect(report.containers).toBe(2); // the dead owner's container and sandbox
    expect((await runtime.listContainers()).map((c) => c.id)).toEqual([keep]);
    expect((await runtime.listSandboxes()).map((s) => s.labels[RUNTIME_LABELS.podUid])).toEqual(['live']);
    await expect(runtime.inspectContainer(gone)).rejects.toMatchObject({ reason: 'NotFound' });
    await runtime.stopContainer(keep, 0);
    await live.release();
    await runtime.close();
  });

  it("ConfigMap/Secret files are private: 0700 folders, defaultMode and items' mode honoured", async () => {
    const dir = await stateDir();
    const runtime = new ProcessRuntime({ stateDir: dir });
    const files = { password: new TextEncoder().encode('s3cret'), other: new TextEncoder().encode('x') };
    const id = await podOf(
      runtime,
      { [RUNTIME_LABELS.podUid]: 'u' },
      {
        mounts: [{ kind: 'files', volume: 'sec', containerPath: '/sec', files, mode: 0o440, modes: { password: 0o400 } }],
      },
    );
    const volume = join(dir, 'containers', id, 'files', 'sec');
    expect((await stat(volume)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'containers', id))).mode & 0o777).toBe(0o700);
    expect((await stat(join(volume, 'password'))).mode & 0o777).toBe(0o400);
    expect((await stat(join(volume, 'other'))).mode & 0o777).toBe(0o440);
    await runtime.removeContainer(id);
  });

  it('close() removes the default state folder once nothing is left in it', async () => {
    const runtime = new ProcessRuntime();
    runtime.bind({ clock: new RealClock(), clusterName: `reclaim-test-${process.pid}-${Date.now()}`, nodeName: 'n' });
    const labels = { [RUNTIME_LABELS.podUid]: 'u' };
    const id = await podOf(runtime, labels);
    expect(existsSync(runtime.stateDir)).toBe(true);
    for (const s of await runtime.listSandboxes()) await runtime.removeSandbox(s.id);
    await expect(runtime.inspectContainer(id)).rejects.toMatchObject({ reason: 'NotFound' });
    await runtime.close();
    expect(existsSync(runtime.stateDir)).toBe(false);
  });
});
