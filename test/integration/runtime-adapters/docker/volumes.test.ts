import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRuntime } from '../../../../src/runtime-adapters/docker/index.js';
import { dockerClient, dockerForTests } from '../../../support/docker.js';
import { clusterLeftovers } from '../../../support/docker-cluster.js';
import { boundRuntime, cleanUp, newPod, runIn, shell } from './harness.js';
import { eventually } from '../../../support/docker-cluster.js';

const docker = await dockerForTests();
const sleepy = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

describe.skipIf(!docker)('DockerRuntime: volumes', () => {
  let runtime: DockerRuntime;
  let clusterName: string;
  let stateDir: string;
  let hostDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'tugboat-it-state-'));
    hostDir = await mkdtemp(path.join(os.tmpdir(), 'tugboat-it-host-'));
    ({ runtime, clusterName } = boundRuntime('volumes', { stateDir }));
  });
  afterAll(async () => {
    if (runtime) await cleanUp(runtime);
    await rm(stateDir, { recursive: true, force: true });
    await rm(hostDir, { recursive: true, force: true });
  });

  it('an emptyDir is shared by the containers of a pod and removed with its sandbox', async () => {
    const { sandbox, uid } = await newPod(runtime);
    const mount = { kind: 'emptyDir' as const, volume: 'scratch', containerPath: '/data' };
    await runIn(runtime, sandbox, shell('writer', `echo shared-$HOSTNAME > /data/note; ${sleepy}`, { mounts: [mount] }));
    const reader = await runIn(runtime, sandbox, shell('reader', sleepy, { mounts: [{ ...mount, containerPath: '/in' }] }));
    const r = await eventually(async () => {
      const x = await runtime.exec(reader, ['cat', '/in/note']);
      return x.exitCode === 0 ? x : undefined;
    }, 'the shared file');
    expect(r.stdout.trim()).toMatch(/^shared-/);
    const volumes = await dockerClient().listVolumes({ filters: { label: [`io.tugboat.pod.uid=${uid}`] } });
    expect(volumes.Volumes?.length).toBe(1);
    await runtime.removeSandbox(sandbox.id);
    const after = await dockerClient().listVolumes({ filters: { label: [`io.tugboat.pod.uid=${uid}`] } });
    expect(after.Volumes ?? []).toEqual([]);
  });

  it('files (ConfigMap/Secret) are readable, read-only, private on the host, with their modes, and cleaned up with the sandbox', async () => {
    const { sandbox, uid } = await newPod(runtime);
    const files = { 'app.conf': new TextEncoder().encode('color=blue\n'), 'nested/key': new TextEncoder().encode('s3cret') };
    const id = await runIn(
      runtime,
      sandbox,
      shell('app', sleepy, {
        mounts: [{ kind: 'files', volume: 'config', containerPath: '/etc/app', files, mode: 0o440, modes: { 'nested/key': 0o400 } }],
      }),
    );
    const conf = await runtime.exec(id, ['cat', '/etc/app/app.conf']);
    expect(conf).toMatchObject({ exitCode: 0, stdout: 'color=blue\n' });
    expect((await runtime.exec(id, ['cat', '/etc/app/nested/key'])).stdout).toBe('s3cret');
    const write = await runtime.exec(id, ['sh', '-c', 'echo x > /etc/app/app.conf']);
    expect(write.exitCode).not.toBe(0);
    const dir = path.join(stateDir, runtime.instanceId, uid);
    expect(await readFile(path.join(dir, 'config', 'app.conf'), 'utf8')).toBe('color=blue\n');
    // Other users of this machine cannot reach them: the instance and pod folders are 0700.
    expect((await stat(path.join(stateDir, runtime.instanceId))).mode & 0o777).toBe(0o700);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // defaultMode and items' mode are honoured.
    expect((await stat(path.join(dir, 'config', 'app.conf'))).mode & 0o777).toBe(0o440);
    expect((await stat(path.join(dir, 'config', 'nested', 'key'))).mode & 0o777).toBe(0o400);
    expect((await runtime.exec(id, ['stat', '-c', '%a', '/etc/app/nested/key'])).stdout.trim()).toBe('400');
    await runtime.removeSandbox(sandbox.id);
    await expect(readFile(path.join(dir, 'config', 'app.conf'))).rejects.toThrow();
  });

  it('a hostPath is bind-mounted, read-only when asked', async () => {
    const { sandbox } = await newPod(runtime);
    const rw = await runIn(
      runtime,
      sandbox,
      shell('rw', `echo from-container > /host/out; ${sleepy}`, {
        mounts: [{ kind: 'hostPath', hostPath: hostDir, containerPath: '/host' }],
      }),
    );
    const text = await eventually(() => readFile(path.join(hostDir, 'out'), 'utf8').catch(() => undefined), 'the file on the host');
    expect(text).toBe('from-container\n');
    const ro = await runIn(
      runtime,
      sandbox,
      shell('ro', sleepy, {
        mounts: [{ kind: 'hostPath', hostPath: hostDir, containerPath: '/host', readOnly: true }],
      }),
    );
    expect((await runtime.exec(ro, ['cat', '/host/out'])).stdout).toBe('from-container\n');
    expect((await runtime.exec(ro, ['touch', '/host/other'])).exitCode).not.toBe(0);
    expect((await runtime.exec(rw, ['touch', '/host/other'])).exitCode).toBe(0);
  });

  it('a bad mount is refused with a TugboatError naming the field, before anything is made', async () => {
    const { sandbox, uid } = await newPod(runtime);
    const err = await runtime
      .createContainer(
        sandbox.id,
        shell('bad', sleepy, {
          mounts: [
            { kind: 'emptyDir', volume: 'ok', containerPath: '/ok' },
            { kind: 'files', volume: 'c', containerPath: '/c', files: { '../escape': new Uint8Array() } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TugboatError', reason: 'Invalid' });
    expect(JSON.stringify((err as { causes: unknown }).causes)).toContain('mounts[1].files');
    expect(await runtime.listContainers({ 'io.tugboat.pod.uid': uid })).toEqual([]);
    const vols = await dockerClient().listVolumes({ filters: { label: [`io.tugboat.pod.uid=${uid}`] } });
    expect(vols.Volumes ?? []).toEqual([]);
  });

  it('nothing labelled with the cluster remains after the sandboxes are removed and the runtime closed', async () => {
    await cleanUp(runtime);
    expect(await clusterLeftovers(clusterName)).toEqual([]);
  });
});
