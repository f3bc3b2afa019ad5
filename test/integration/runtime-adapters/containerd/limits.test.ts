/**
 * The containerd adapter's OCI specs at work: memory limit and OOM kill, cpu/memory limits in
 * the task's cgroup, securityContext (user, read-only root, capabilities), Kubernetes
 * command/args/env/workingDir semantics, exec's stderr and timeout.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../src/testing.js';
import type { LogLine, LogOptions } from '../../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../../support/containerd.js';
import { boundRuntime, cleanUp, newPod, runIn, shell, sleepy } from './harness.js';

const containerd = await containerdForTests();

describe.skipIf(!containerd)('containerd adapter: limits, security, process', { timeout: 60_000 }, () => {
  const { runtime } = boundRuntime('containerd-limits');
  afterAll(() => cleanUp(runtime));

  const outputOf = (id: string, what: string, options?: LogOptions, show = (l: LogLine) => l.line): Promise<string[]> =>
    eventually(async () => {
      const got: string[] = [];
      for await (const l of runtime.logs(id, options)) got.push(show(l));
      return got.length ? got : undefined;
    }, what);

  const cgroup = (controller: string, id: string, file: string) =>
    readFile(`/sys/fs/cgroup/${controller}/tugboat/${CONTAINERD_TEST_NAMESPACE}/${id}/${file}`, 'utf8').then((t) => t.trim());

  it('a container over its memory limit is OOMKilled, with an oom event', async () => {
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
    expect(seen).toContain('oom');
    const s = await eventually(async () => {
      const st = await runtime.inspectContainer(id);
      return st.reason === 'OOMKilled' ? st : undefined;
    }, 'OOMKilled');
    expect(s.exitCode).toBe(137);
  });

  it('cpu and memory limits reach the task cgroup; stats stay under the limit', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, shell('limited', sleepy, { resources: { cpuMillis: 250, memoryBytes: 64 * 1024 * 1024 } }));
    expect(await cgroup('memory', id, 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(await cgroup('cpu', id, 'cpu.cfs_quota_us')).toBe('25000');
    expect(await cgroup('cpu', id, 'cpu.cfs_period_us')).toBe('100000');
    const stats = await runtime.stats(id);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.memoryBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('runAsUser, readOnlyRootFilesystem and dropped capabilities apply; privileged gets every capability', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(
      runtime,
      sandbox,
      shell('locked', sleepy, {
        security: { runAsUser: 65534, runAsGroup: 65534, readOnlyRootFilesystem: true, capabilitiesDrop: ['ALL'] },
      }),
    );
    expect((await runtime.exec(id, ['id', '-u'])).stdout.trim()).toBe('65534');
    expect((await runtime.exec(id, ['id', '-g'])).stdout.trim()).toBe('65534');
    expect((await runtime.exec(id, ['touch', '/rootfile'])).exitCode).not.toBe(0);
    expect((await runtime.exec(id, ['sh', '-c', 'grep CapBnd /proc/self/status'])).stdout).toMatch(/CapBnd:\s+0+\s/);
    const root = await runIn(runtime, sandbox, shell('root', sleepy, { security: { privileged: true } }));
    const capBnd = (await runtime.exec(root, ['sh', '-c', 'grep CapBnd /proc/self/status'])).stdout;
    expect(capBnd).not.toMatch(/CapBnd:\s+0+\s/);
    expect((await runtime.exec(root, ['touch', '/rootfile'])).exitCode).toBe(0);
  });

  it('command replaces the entrypoint and drops CMD; args replace CMD; env and workingDir apply', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, {
      ...shell('cmd', ''),
      command: ['sh', '-c'],
      args: ['echo "$GREETING from $(pwd)"'],
      env: { GREETING: 'hello' },
      workingDir: '/tmp',
    });
    expect(await outputOf(id, 'the output')).toEqual(['hello from /tmp']);
    const argsOnly = await runIn(runtime, sandbox, { ...shell('args', ''), command: undefined, args: ['echo', 'args-only'] });
    expect(await outputOf(argsOnly, 'the args output', { timestamps: true }, (l) => `${l.time instanceof Date}:${l.line}`)).toEqual([
      'true:args-only',
    ]);
    const commandOnly = await runIn(runtime, sandbox, { ...shell('command', ''), command: ['echo', 'command-only'] });
    expect(await outputOf(commandOnly, 'the command output')).toEqual(['command-only']);
    const err = await runIn(runtime, sandbox, shell('stderr', 'echo to-stderr >&2'));
    expect(await outputOf(err, 'stderr', undefined, (l) => `${l.stream}:${l.line}`)).toEqual(['stderr:to-stderr']);
  });

  it('exec separates stderr and a timeout kills the command', async () => {
    const { sandbox } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, shell('x', sleepy));
    const r = await runtime.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(r).toEqual({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
    const slow = await runtime.exec(id, ['sleep', '30'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ name: 'TugboatError', reason: 'Timeout' });
    expect((await runtime.exec(id, ['sh', '-c', 'ps | grep -c "[s]leep 30" || true'])).stdout.trim()).toBe('0');
    const empty = await runtime.exec(id, []).catch((e: unknown) => e);
    expect(empty).toMatchObject({ reason: 'Invalid' });
  });
});
