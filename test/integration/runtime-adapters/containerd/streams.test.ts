/**
 * Interactive exec and attach on the real containerd: execStream's stdin through a FIFO (its end
 * reaching the command as end of file), its exit code, stdout and stderr apart, a terminal (one
 * stream, `tty` names a /dev/pts device, ResizePty seen by `stty size`), close() killing the
 * command; attach teeing the main task's output from its log pump (the log keeps every line),
 * writing to its stdin FIFO (stdinOnce: the first client's end closes it), on a terminal too,
 * and after a runtime of the same instance adopted the task (a restarted node agent); bad
 * requests refused with nothing left behind.
 */
import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../../src/clock/real-clock.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { ContainerdRuntime } from '../../../../src/runtime-adapters/containerd/index.js';
import { RuntimeInstance } from '../../../../src/runtime-adapters/instance.js';
import type { ContainerStreams } from '../../../../src/runtime-adapters/types.js';
import { eventually } from '../../../../src/testing.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../../support/containerd.js';
import { testClusterName } from '../../../support/docker.js';
import { boundRuntime, cleanUp, newPod, runIn, shell, sleepy } from './harness.js';

const containerd = await containerdForTests();

/** Everything a stream gives, as it comes. */
function text(stream: Readable | undefined): { value: () => string; ended: Promise<string> } {
  let all = '';
  stream?.on('data', (d: Buffer) => (all += d.toString('utf8')));
  const ended = new Promise<string>((resolve) => {
    if (!stream) resolve('');
    stream?.once('end', () => resolve(all));
    stream?.once('close', () => resolve(all));
  });
  return { value: () => all, ended };
}

async function waitFor(out: { value: () => string }, pattern: RegExp | string, what: string): Promise<void> {
  await eventually(
    async () => ((typeof pattern === 'string' ? out.value().includes(pattern) : pattern.test(out.value())) ? true : undefined),
    what,
    { timeoutMs: 15_000 },
  );
}

describe.skipIf(!containerd)('containerd adapter: interactive exec and attach', { timeout: 60_000 }, () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'tugboat-ctrd-streams-'));
  const { runtime } = boundRuntime('containerd-streams', { stateDir });
  afterAll(async () => {
    await cleanUp(runtime);
    await rm(stateDir, { recursive: true, force: true });
  });
  let shellId = '';
  const running = (async () => {
    const { sandbox } = await newPod(runtime);
    shellId = await runIn(runtime, sandbox, shell('main', sleepy));
    return sandbox;
  })();

  /** The exec folders left in the runtime's state folder (each exec has one until it is over). */
  const execDirs = async (): Promise<string[]> =>
    (await readdir(stateDir, { recursive: true })).filter((f) => path.basename(f).startsWith('exec-'));

  it('exec with stdin pipes it to the command, and its end reaches the command as end of file', async () => {
    await running;
    const s = await runtime.execStream(shellId, ['sh', '-c', 'cat; echo done'], { stdin: true, tty: false });
    const out = text(s.stdout);
    s.stdin!.write('one\n');
    await waitFor(out, 'one\n', 'the first line back before stdin ends');
    s.stdin!.end('two\n');
    expect(await s.done).toEqual({ exitCode: 0 });
    expect(await out.ended).toBe('one\ntwo\ndone\n');
    expect(await execDirs()).toEqual([]);
  });

  it('exec gives the exit code of the command, with stdout and stderr apart', async () => {
    await running;
    const s = await runtime.execStream(shellId, ['sh', '-c', 'echo out; echo err >&2; exit 3'], { stdin: false, tty: false });
    expect(s.stdin).toBeUndefined();
    const [out, err] = [text(s.stdout), text(s.stderr)];
    expect(await s.done).toEqual({ exitCode: 3 });
    expect(await out.ended).toBe('out\n');
    expect(await err.ended).toBe('err\n');
  });

  it('exec on a terminal: one output stream, a /dev/pts device, the size ResizePty set', async () => {
    await running;
    const s = await runtime.execStream(shellId, ['sh'], { stdin: true, tty: true });
    expect(s.stderr).toBeUndefined();
    const out = text(s.stdout);
    await s.resize({ cols: 123, rows: 45 });
    s.stdin!.write('tty; stty size; echo "term=$TERM"; echo oops >&2; exit 4\n');
    expect(await s.done).toEqual({ exitCode: 4 });
    const all = await out.ended;
    expect(all).toMatch(/\/dev\/pts\/\d+/);
    expect(all).toContain('45 123');
    expect(all).toContain('term=xterm');
    expect(all).toContain('oops'); // stderr on the terminal too
  });

  it('close() kills the command; done gives its exit code (SIGKILL) and nothing is left', async () => {
    await running;
    const s = await runtime.execStream(shellId, ['sleep', '3600'], { stdin: false, tty: false });
    s.close();
    expect(await s.done).toEqual({ exitCode: 137 });
    expect(await execDirs()).toEqual([]);
  });

  it('refuses an empty command (naming the field) and a command that is not there, leaving nothing', async () => {
    await running;
    const empty = await runtime.execStream(shellId, [], { stdin: false, tty: false }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(TugboatError);
    expect((empty as TugboatError).reason).toBe('Invalid');
    expect(String((empty as TugboatError).message)).toContain('command');
    await expect(runtime.execStream(shellId, ['no-such-command-here'], { stdin: true, tty: false })).rejects.toThrow(
      /no-such-command-here/,
    );
    expect(await execDirs()).toEqual([]);
  });

  it('attach follows the output from now on without taking it from the log', async () => {
    const sandbox = await running;
    const id = await runIn(
      runtime,
      sandbox,
      shell('ticker', 'i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo tick-$i; echo etick-$i >&2; sleep 0.1; done'),
    );
    await eventually(async () => {
      for await (const l of runtime.logs(id)) if (l.line === 'tick-2') return true;
      return undefined;
    }, 'the ticker to print');
    const s = await runtime.attach(id, { stdin: false, tty: false });
    const [out, err] = [text(s.stdout), text(s.stderr)];
    expect(await s.done).toEqual({ exitCode: 0 });
    const attached = (await out.ended).split('\n').filter(Boolean);
    expect(attached.at(-1)).toBe('tick-40');
    expect(attached).not.toContain('tick-1');
    expect(await err.ended).toContain('etick-40\n');
    const logged: string[] = [];
    for await (const l of runtime.logs(id)) if (l.stream === 'stdout') logged.push(l.line);
    expect(logged).toEqual(Array.from({ length: 40 }, (_, i) => `tick-${i + 1}`));
  });

  it('attach with stdin writes to the main process; stdinOnce: the first client closing stdin ends its input', async () => {
    const sandbox = await running;
    const id = await runIn(
      runtime,
      sandbox,
      shell('echo', 'while read l; do echo got $l; done; echo bye', { stdin: true, stdinOnce: true }),
    );
    const first = await runtime.attach(id, { stdin: true, tty: false });
    const out = text(first.stdout);
    first.stdin!.write('a\n');
    await waitFor(out, 'got a\n', 'the answer to a');
    first.stdin!.end('b\n');
    expect(await first.done).toEqual({ exitCode: 0 });
    expect(await out.ended).toBe('got a\ngot b\nbye\n');
  });

  it('stdinOnce: a client that goes (stdin ended and detached at once, as a closed WebSocket does) closes the task stdin', async () => {
    const sandbox = await running;
    const id = await runIn(
      runtime,
      sandbox,
      shell('once', 'while read l; do echo got $l; done; echo bye', { stdin: true, stdinOnce: true }),
    );
    const s = await runtime.attach(id, { stdin: true, tty: false });
    const out = text(s.stdout);
    s.stdin!.write('a\n');
    await waitFor(out, 'got a\n', 'the answer to a');
    s.stdin!.end();
    s.close();
    expect(await s.done).toEqual({});
    await eventually(
      async () => ((await runtime.inspectContainer(id)).state === 'exited' ? true : undefined),
      'the task to read end of file and exit',
    );
    expect((await runtime.inspectContainer(id)).exitCode).toBe(0);
    const logged: string[] = [];
    for await (const l of runtime.logs(id)) logged.push(l.line);
    expect(logged).toEqual(['got a', 'bye']);
  });

  it('without stdinOnce a client going leaves stdin open for the next; with a terminal, output is one stream and resize reaches it', async () => {
    const sandbox = await running;
    const id = await runIn(
      runtime,
      sandbox,
      shell('tty', 'while read l; do echo "got $l on $(tty) size $(stty size)"; done', { stdin: true, tty: true }),
    );
    const one: ContainerStreams = await runtime.attach(id, { stdin: true, tty: true });
    expect(one.stderr).toBeUndefined();
    const out1 = text(one.stdout);
    one.stdin!.end('x\n');
    await waitFor(out1, /got x on \/dev\/pts\/\d+/, 'the answer to x on a terminal');
    one.close();
    expect(await one.done).toEqual({});
    const two = await runtime.attach(id, { stdin: true, tty: true });
    const out2 = text(two.stdout);
    await two.resize({ cols: 90, rows: 20 });
    two.stdin!.write('y\n');
    await waitFor(out2, /got y on \/dev\/pts\/\d+ size 20 90/, 'the answer to y (stdin still open) at the size ResizePty set');
    two.close();
    expect((await runtime.inspectContainer(id)).state).toBe('running');
  });

  it('attach with stdin to a container made without it is refused', async () => {
    await running;
    const err = await runtime.attach(shellId, { stdin: true, tty: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TugboatError);
    expect((err as TugboatError).message).toMatch(/stdin/);
  });
});

describe.skipIf(!containerd)('containerd adapter: attach after adoption', { timeout: 60_000 }, () => {
  const name = testClusterName('containerd-streams-adopt');
  const stateDir = mkdtempSync(path.join(tmpdir(), 'tugboat-ctrd-adopt-'));
  const instance = RuntimeInstance.create(name);
  const runtimeOf = () => {
    const r = new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE, stateDir });
    r.bind({ clock: new RealClock(), clusterName: name, nodeName: 'adopt-node', instance });
    return r;
  };
  const first = runtimeOf();
  const second = runtimeOf();
  afterAll(async () => {
    await first.close();
    await cleanUp(second);
    await instance.release();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('a runtime that does not pump the task refuses to attach; once it adopted the task, attach reads and writes it', async () => {
    const { sandbox } = await newPod(first);
    const id = await runIn(first, sandbox, shell('echo', 'while read l; do echo got $l; done', { stdin: true }));
    // The first runtime pumps the task: the second must not read its FIFOs beside it.
    await second.listContainers();
    const refused = await second.attach(id, { stdin: false, tty: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TugboatError);
    expect((refused as TugboatError).message).toMatch(/not read by this runtime/);
    await first.close(); // as a node agent that stopped: its pumps end, the task runs on
    await second.listContainers(); // adopts the task's FIFOs
    const s = await second.attach(id, { stdin: true, tty: false });
    const out = text(s.stdout);
    s.stdin!.write('after\n');
    await waitFor(out, 'got after\n', 'the answer through the adopting runtime');
    s.close();
    expect(await s.done).toEqual({});
    const logged: string[] = [];
    for await (const l of second.logs(id)) logged.push(l.line);
    expect(logged).toContain('got after');
  });
});
