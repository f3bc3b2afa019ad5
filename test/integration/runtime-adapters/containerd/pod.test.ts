/**
 * A pod on containerd: its containers share the pause task's network namespace (localhost) and
 * its CNI pod IP, reachable from this host; a hostPort goes through portmap; volumes are mounts
 * (emptyDir shared and removed with the sandbox, Memory on tmpfs, ConfigMap/Secret files
 * read-only with their modes, hostPath read-only when asked); a bad mount changes nothing.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TugboatError } from '../../../../src/model/errors.js';
import { eventually } from '../../../../src/testing.js';
import { RUNTIME_LABELS } from '../../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../../support/containerd.js';
import { httpGet } from '../../../support/docker-cluster.js';
import { boundRuntime, cleanUp, newPod, runIn, shell, sleepy } from './harness.js';

const containerd = await containerdForTests();

describe.skipIf(!containerd)('containerd adapter: pod network and volumes', { timeout: 60_000 }, () => {
  const { runtime } = boundRuntime('containerd-pod');
  const hostDir = mkdtemp(path.join(tmpdir(), 'tugboat-ctrd-hostpath-'));
  afterAll(async () => {
    await cleanUp(runtime);
    await rm(await hostDir, { recursive: true, force: true });
  });

  /** A loopback port free a moment ago. */
  const freePort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    return port;
  };

  const httpd = (port: number) => shell('web', `trap "exit 0" TERM; httpd -f -p ${port} -h /www & wait $!`);

  it('two containers of one pod talk over localhost; the pod IP serves this host', async () => {
    const { sandbox } = await newPod(runtime);
    expect(sandbox.ip).toMatch(/^10\.213\./);
    await runIn(runtime, sandbox, httpd(8080));
    const client = await runIn(runtime, sandbox, shell('client', sleepy));
    const got = await eventually(async () => {
      const r = await runtime.exec(client, ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/']);
      return r.exitCode === 0 ? r.stdout : undefined;
    }, 'localhost to answer');
    expect(got.trim()).toBe('tugboat 1');
    expect((await runtime.exec(client, ['hostname'])).stdout.trim()).toBe(sandbox.labels[RUNTIME_LABELS.podName]);
    expect((await runtime.exec(client, ['cat', '/etc/hosts'])).stdout).toContain(sandbox.ip);
    const fromHost = await eventually(() => httpGet(sandbox.ip, 8080).catch(() => undefined), 'the pod IP to answer');
    expect(fromHost.body.trim()).toBe('tugboat 1');
  });

  it('a hostPort is published on the host through portmap', async () => {
    const hostPort = await freePort();
    const { sandbox } = await newPod(runtime, [{ containerPort: 8080, hostPort, protocol: 'TCP' }]);
    await runIn(runtime, sandbox, httpd(8080));
    const r = await eventually(() => httpGet('127.0.0.1', hostPort).catch(() => undefined), 'the hostPort to answer', {
      timeoutMs: 20_000,
    });
    expect(r.body.trim()).toBe('tugboat 1');
    await runtime.stopSandbox(sandbox.id);
    await expect(httpGet('127.0.0.1', hostPort, '/', 1000)).rejects.toThrow();
  });

  it('an emptyDir is shared by the containers of a pod and removed with its sandbox; Memory is a tmpfs', async () => {
    const { sandbox } = await newPod(runtime);
    const mounts = [
      { kind: 'emptyDir' as const, volume: 'data', containerPath: '/data' },
      { kind: 'emptyDir' as const, volume: 'mem', containerPath: '/mem', medium: 'Memory' as const },
    ];
    await runIn(runtime, sandbox, shell('writer', `echo shared > /data/x; ${sleepy}`, { mounts }));
    const reader = await runIn(runtime, sandbox, shell('reader', sleepy, { mounts }));
    const seen = await eventually(async () => {
      const r = await runtime.exec(reader, ['cat', '/data/x']);
      return r.exitCode === 0 ? r.stdout.trim() : undefined;
    }, 'the shared file');
    expect(seen).toBe('shared');
    expect((await runtime.exec(reader, ['sh', '-c', 'grep " /mem " /proc/mounts'])).stdout).toContain('tmpfs');
    await runtime.removeSandbox(sandbox.id);
    expect(await runtime.listContainers({ [RUNTIME_LABELS.podUid]: sandbox.labels[RUNTIME_LABELS.podUid] })).toEqual([]);
  });

  it('files are readable, read-only, with their modes, private above the volume folder, removed with the sandbox', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(
      runtime,
      sandbox,
      shell('cfg', sleepy, {
        mounts: [
          {
            kind: 'files',
            volume: 'cfg',
            containerPath: '/etc/cfg',
            files: { 'a.txt': Buffer.from('A'), 'sub/b.txt': Buffer.from('B') },
            mode: 0o640,
            modes: { 'sub/b.txt': 0o600 },
          },
        ],
      }),
    );
    expect((await runtime.exec(id, ['cat', '/etc/cfg/a.txt', '/etc/cfg/sub/b.txt'])).stdout).toBe('AB');
    // The top-level names are links through ..data (the kubelet's atomic writer): the modes are their targets'.
    expect(
      (await runtime.exec(id, ['sh', '-c', 'stat -L -c %a /etc/cfg/a.txt /etc/cfg/sub/b.txt'])).stdout.split('\n').slice(0, 2),
    ).toEqual(['640', '600']);
    expect((await runtime.exec(id, ['touch', '/etc/cfg/new'])).exitCode).not.toBe(0);
    const instanceDir = path.join(tmpdir(), 'tugboat-containerd', CONTAINERD_TEST_NAMESPACE, runtime.instanceId);
    expect((await stat(instanceDir)).mode & 0o077).toBe(0);
    const podDir = path.join(instanceDir, 'pods', sandbox.id);
    expect((await stat(podDir)).mode & 0o077).toBe(0);
    await runtime.removeSandbox(sandbox.id);
    await expect(stat(podDir)).rejects.toThrow();
  });

  it('a hostPath is bind-mounted, read-only when asked', async () => {
    const dir = await hostDir;
    await writeFile(path.join(dir, 'host.txt'), 'from host');
    const { sandbox } = await newPod(runtime);
    const id = await runIn(
      runtime,
      sandbox,
      shell('hp', sleepy, {
        mounts: [
          { kind: 'hostPath', hostPath: dir, containerPath: '/ro', readOnly: true },
          { kind: 'hostPath', hostPath: dir, containerPath: '/rw' },
        ],
      }),
    );
    expect((await runtime.exec(id, ['cat', '/ro/host.txt'])).stdout).toBe('from host');
    expect((await runtime.exec(id, ['touch', '/ro/x'])).exitCode).not.toBe(0);
    expect((await runtime.exec(id, ['touch', '/rw/made-inside'])).exitCode).toBe(0);
    expect((await stat(path.join(dir, 'made-inside'))).isFile()).toBe(true);
  });

  it('a bad mount is refused with a TugboatError naming the field, before anything is made', async () => {
    const { sandbox, uid } = await newPod(runtime);
    const err = await runtime
      .createContainer(sandbox.id, shell('bad', sleepy, { mounts: [{ kind: 'hostPath', hostPath: '/tmp', containerPath: 'relative' }] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TugboatError);
    expect((err as TugboatError).status.details?.causes?.[0]?.field).toBe('mounts[0].containerPath');
    expect(await runtime.listContainers({ [RUNTIME_LABELS.podUid]: uid })).toEqual([]);
  });
});
