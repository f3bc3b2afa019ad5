import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { MockRuntime } from '../../../../src/runtime-adapters/mock/index.js';
import { RUNTIME_LABELS } from '../../../../src/runtime-adapters/types.js';

async function setup(behavior: Parameters<MockRuntime['image']>[1]) {
  const clock = new FakeClock();
  const runtime = new MockRuntime();
  runtime.bind({ clock, clusterName: 'c', nodeName: 'node-a' });
  runtime.image('app:1', behavior);
  const labels = {
    [RUNTIME_LABELS.node]: 'node-a',
    [RUNTIME_LABELS.podUid]: 'u',
    [RUNTIME_LABELS.namespace]: 'default',
    [RUNTIME_LABELS.podName]: 'p',
  };
  const sandbox = await runtime.runSandbox({ podUid: 'u', namespace: 'default', podName: 'p', hostname: 'p', labels, ports: [] });
  const id = await runtime.createContainer(sandbox.id, {
    name: 'app',
    image: 'app:1',
    env: {},
    mounts: [],
    ports: [],
    resources: {},
    labels,
  });
  await runtime.startContainer(id);
  return { clock, runtime, id };
}

describe('MockRuntime execStream and attach', () => {
  it('an interactive handler reads stdin and writes stdout and stderr; its return is the exit code', async () => {
    const { runtime, id } = await setup({
      interactive: async (command, io) => {
        const input = await text(io.stdin);
        io.stdout.write(`${command.join(' ')}: ${input.toUpperCase()}`);
        io.stderr.write('note');
        return 5;
      },
    });
    const s = await runtime.execStream(id, ['up'], { stdin: true, tty: false });
    s.stdin?.end('hello');
    const [out, err, done] = await Promise.all([text(s.stdout), text(s.stderr!), s.done]);
    expect([out, err, done]).toEqual(['up: HELLO', 'note', { exitCode: 5 }]);
    expect(runtime.calls.execs).toBe(1);
  });

  it('with a TTY there is one output and the resizes reach the handler', async () => {
    let seen: unknown[] = [];
    const { runtime, id } = await setup({
      interactive: async (_c, io) => {
        io.stderr.write('both ');
        io.stdout.write('here');
        await text(io.stdin);
        seen = [...io.resizes];
        return 0;
      },
    });
    const s = await runtime.execStream(id, ['sh'], { stdin: true, tty: true });
    expect(s.stderr).toBeUndefined();
    await s.resize({ cols: 80, rows: 24 });
    s.stdin?.end();
    expect(await text(s.stdout)).toBe('both here');
    expect(await s.done).toEqual({ exitCode: 0 });
    expect(seen).toEqual([{ cols: 80, rows: 24 }]);
  });

  it('without an interactive handler, answers as the exec handler does', async () => {
    const { runtime, id } = await setup({ exec: () => ({ exitCode: 2, stdout: 'o', stderr: 'e' }) });
    const s = await runtime.execStream(id, ['x'], { stdin: false, tty: false });
    expect(s.stdin).toBeUndefined();
    expect(await Promise.all([text(s.stdout), text(s.stderr!), s.done])).toEqual(['o', 'e', { exitCode: 2 }]);
  });

  it('an attach runs until the container exits (with its exit code) or the client detaches (no code)', async () => {
    const { clock, runtime, id } = await setup({
      exitAfterMs: 1000,
      exitCode: 4,
      attach: async (io) => {
        io.stdout.write('attached\n');
        for await (const chunk of io.stdin) io.stdout.write(`got ${chunk}`);
      },
    });
    const a = await runtime.attach(id, { stdin: true, tty: false });
    a.stdin?.write('x\n');
    const out = text(a.stdout);
    await clock.advance(1000);
    expect(await a.done).toEqual({ exitCode: 4 });
    expect(await out).toBe('attached\ngot x\n');

    const second = await setup({});
    const b = await second.runtime.attach(second.id, { stdin: false, tty: false });
    b.close();
    expect(await b.done).toEqual({ exitCode: undefined });
  });

  it('refuses a container that is not running, and a handler that is not a function', async () => {
    const { clock, runtime, id } = await setup({ exitAfterMs: 1 });
    await clock.advance(1);
    await expect(runtime.execStream(id, ['x'], { stdin: false, tty: false })).rejects.toThrow(/is not running/);
    await expect(runtime.attach(id, { stdin: false, tty: false })).rejects.toThrow(TugboatError);
    expect(() => runtime.image('bad:1', { interactive: 'nope' as never })).toThrow(/interactive: must be a function/);
  });
});
