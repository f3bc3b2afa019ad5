import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRuntime } from '../../../../src/runtime-adapters/docker/index.js';
import type { LogLine, LogOptions } from '../../../../src/runtime-adapters/types.js';
import { dockerClient, dockerForTests } from '../../../support/docker.js';
import { boundRuntime, cleanUp, newPod, runIn, shell } from './harness.js';
import { eventually } from '../../../support/docker-cluster.js';

const docker = await dockerForTests();
const sleepy = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

describe.skipIf(!docker)('DockerRuntime: resources, security, command semantics', () => {
  let runtime: DockerRuntime;

  beforeAll(() => {
    runtime = boundRuntime('limits').runtime;
  });
  afterAll(async () => {
    if (runtime) await cleanUp(runtime);
  });

  /** A container's log lines (each shown by `show`) once it printed any. */
  const outputOf = (id: string, what: string, options?: LogOptions, show = (l: LogLine) => l.line): Promise<string[]> =>
    eventually(async () => {
      const got: string[] = [];
      for await (const l of runtime.logs(id, options)) got.push(show(l));
      return got.length ? got : undefined;
    }, what);

  it('a container over its memory limit is OOMKilled', async () => {
    const { sandbox } = await newPod(runtime);
    const ac = new AbortController();
    const events = runtime.events(ac.signal);
    const id = await runIn(
      runtime,
      sandbox,
      shell('hog', 'head -c 200m /dev/zero | tail > /dev/null', { resources: { memoryBytes: 16 * 1024 * 1024 } }),
    );
    const seen: string[] = [];
    for await (const e of events) {
      if (e.containerId !== id) continue;
      seen.push(e.type);
      if (e.type === 'exit') break;
    }
    ac.abort();
    const s = await runtime.inspectContainer(id);
    expect(s.state).toBe('exited');
    expect(s.reason).toBe('OOMKilled');
    expect(s.exitCode).toBe(137);
    expect(seen).toContain('oom');
  });

  it('cpu and memory limits reach the HostConfig', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, shell('limited', sleepy, { resources: { cpuMillis: 250, memoryBytes: 64 * 1024 * 1024 } }));
    const info = await dockerClient().getContainer(id).inspect();
    expect(info.HostConfig.NanoCpus).toBe(250_000_000);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    const stats = await runtime.stats(id);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.memoryBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('runAsUser, readOnlyRootFilesystem and dropped capabilities apply; privileged only when asked', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(
      runtime,
      sandbox,
      shell('locked', sleepy, {
        security: { runAsUser: 65534, runAsGroup: 65534, readOnlyRootFilesystem: true, capabilitiesDrop: ['ALL'] },
      }),
    );
    expect((await runtime.exec(id, ['id', '-u'])).stdout.trim()).toBe('65534');
    expect((await runtime.exec(id, ['touch', '/rootfile'])).exitCode).not.toBe(0);
    const info = await dockerClient().getContainer(id).inspect();
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    // Created, not started: a privileged start needs every capability, which a nested daemon may lack.
    const root = await runtime.createContainer(sandbox.id, shell('root', sleepy, { security: { privileged: true } }));
    expect((await dockerClient().getContainer(root).inspect()).HostConfig.Privileged).toBe(true);
    await runtime.removeContainer(root);
  });

  it('command replaces the entrypoint and drops CMD; args replace CMD; env and workingDir apply', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runtime.createContainer(sandbox.id, {
      ...shell('cmd', ''),
      command: ['sh', '-c'],
      args: ['echo "$GREETING from $(pwd)"'],
      env: { GREETING: 'hello' },
      workingDir: '/tmp',
    });
    await runtime.startContainer(id);
    const lines = await outputOf(id, 'the output');
    expect(lines).toEqual(['hello from /tmp']);
    const argsOnly = await runtime.createContainer(sandbox.id, { ...shell('args', ''), command: undefined, args: ['echo', 'args-only'] });
    // The image has no ENTRYPOINT, so args are the whole command line.
    await runtime.startContainer(argsOnly);
    const out = await outputOf(argsOnly, 'the args output', { timestamps: true }, (l) => `${l.time instanceof Date}:${l.line}`);
    expect(out).toEqual(['true:args-only']);
    // The image's CMD is ["/bin/sh"]: kept, echo would print it too.
    const commandOnly = await runtime.createContainer(sandbox.id, { ...shell('command', ''), command: ['echo', 'command-only'] });
    await runtime.startContainer(commandOnly);
    const printed = await outputOf(commandOnly, 'the command output');
    expect(printed).toEqual(['command-only']);
  });

  it('exec separates stderr and honours a timeout', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, shell('x', sleepy));
    const r = await runtime.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(r).toEqual({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
    const slow = await runtime.exec(id, ['sleep', '30'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ name: 'TugboatError', reason: 'Timeout' });
  });
});
