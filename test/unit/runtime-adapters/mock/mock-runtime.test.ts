import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { MockNodeUnreachableError, MockRuntime } from '../../../../src/runtime-adapters/mock/index.js';
import { ImagePullError, RUNTIME_LABELS, type RuntimeEvent } from '../../../../src/runtime-adapters/types.js';

function setup(options: ConstructorParameters<typeof MockRuntime>[0] = {}) {
  const clock = new FakeClock();
  const runtime = new MockRuntime(options);
  runtime.bind({ clock, clusterName: 'c', nodeName: 'node-a' });
  let n = 0;
  async function start(image: string, node = 'node-a', pod = `pod-${++n}`, name = 'app') {
    const labels = {
      [RUNTIME_LABELS.node]: node,
      [RUNTIME_LABELS.podUid]: `uid-${pod}`,
      [RUNTIME_LABELS.namespace]: 'default',
      [RUNTIME_LABELS.podName]: pod,
    };
    const sandbox = await runtime.runSandbox({
      podUid: `uid-${pod}`,
      namespace: 'default',
      podName: pod,
      hostname: pod,
      labels,
      ports: [],
    });
    const id = await runtime.createContainer(sandbox.id, {
      name,
      image,
      env: {},
      mounts: [],
      ports: [],
      resources: {},
      labels: { ...labels, [RUNTIME_LABELS.container]: name },
    });
    return { id, pod, sandbox, started: runtime.startContainer(id) };
  }
  return { clock, runtime, start };
}

const state = async (r: MockRuntime, id: string) => (await r.inspectContainer(id)).state;

describe('MockRuntime on a FakeClock', () => {
  it('startupMs: the container runs only once the clock has moved that far', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('slow:1', { startupMs: 5000 });
    const c = await start('slow:1');
    let done = false;
    void c.started.then(() => (done = true));
    await clock.advance(4999);
    expect(await state(runtime, c.id)).toBe('created');
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await state(runtime, c.id)).toBe('running');
    expect(done).toBe(true);
    expect((await runtime.inspectContainer(c.id)).startedAt).toEqual(clock.now());
  });

  it('exitAfterMs and exitCode: exits on its own, with an exit event', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('job:1', { exitAfterMs: 1000, exitCode: 4 });
    const events: RuntimeEvent[] = [];
    const ac = new AbortController();
    const reading = (async () => {
      for await (const e of runtime.events(ac.signal)) events.push(e);
    })();
    const c = await start('job:1');
    await c.started;
    await clock.advance(999);
    expect(await state(runtime, c.id)).toBe('running');
    await clock.advance(1);
    const s = await runtime.inspectContainer(c.id);
    expect([s.state, s.exitCode, s.reason]).toEqual(['exited', 4, 'Error']);
    ac.abort();
    await reading;
    expect(events.map((e) => [e.type, e.exitCode])).toEqual([
      ['start', undefined],
      ['exit', 4],
    ]);
  });

  it('readyAfterMs: http and tcp probes fail until it has elapsed since start; exec asks the image', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('web:1', { readyAfterMs: 3000, exec: (cmd) => ({ exitCode: cmd[0] === 'ok' ? 0 : 1, stdout: '', stderr: 'bad' }) });
    const c = await start('web:1');
    await c.started;
    const http = { type: 'http', port: 80, path: '/' } as const;
    expect((await runtime.probe(c.id, http)).result).toBe('failure');
    await clock.advance(2999);
    expect((await runtime.probe(c.id, { type: 'tcp', port: 80 })).result).toBe('failure');
    await clock.advance(1);
    expect((await runtime.probe(c.id, http)).result).toBe('success');
    expect((await runtime.probe(c.id, { type: 'exec', command: ['ok'] })).result).toBe('success');
    expect((await runtime.probe(c.id, { type: 'exec', command: ['no'] })).result).toBe('failure');
  });

  it('stop: the grace period runs on the clock; a container ignoring SIGTERM is killed at its end', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('stubborn:1', { ignoresTerm: true });
    const c = await start('stubborn:1');
    await c.started;
    let stopped = false;
    const stopping = runtime.stopContainer(c.id, 30_000).then(() => (stopped = true));
    await clock.advance(29_999);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;
    const s = await runtime.inspectContainer(c.id);
    expect([s.exitCode, s.reason]).toEqual([137, 'Error']);
  });

  it('crash: the matching container exits now with code 1 (or the given one); no match is a clear error', async () => {
    const { runtime, start } = setup();
    const a = await start('any:1', 'node-a', 'web');
    await a.started;
    expect(runtime.crash({ namespace: 'default', pod: 'web' })).toEqual([a.id]);
    const s = await runtime.inspectContainer(a.id);
    expect([s.state, s.exitCode, s.reason]).toEqual(['exited', 1, 'Error']);
    expect(() => runtime.crash({ namespace: 'default', pod: 'web' })).toThrow(/no running container/);
    expect(() => runtime.crash({ namespace: 'default', pod: 'nope' })).toThrow(TugboatError);
    const b = await start('any:1', 'node-a', 'web2', 'side');
    await b.started;
    expect(() => runtime.crash({ namespace: 'default', pod: 'web2', container: 'app' })).toThrow(/web2 container app/);
    runtime.crash({ namespace: 'default', pod: 'web2', container: 'side', exitCode: 9 });
    expect((await runtime.inspectContainer(b.id)).exitCode).toBe(9);
    expect(runtime.calls.creates).toBe(2);
  });

  it('oom: exit 137, reason OOMKilled, and an oom event', async () => {
    const { runtime, start } = setup();
    const c = await start('any:1', 'node-a', 'hungry');
    await c.started;
    const events: RuntimeEvent[] = [];
    const ac = new AbortController();
    const reading = (async () => {
      for await (const e of runtime.events(ac.signal)) events.push(e);
    })();
    runtime.oom({ namespace: 'default', pod: 'hungry' });
    const s = await runtime.inspectContainer(c.id);
    expect([s.exitCode, s.reason]).toEqual([137, 'OOMKilled']);
    ac.abort();
    await reading;
    expect(events.map((e) => e.type)).toEqual(['oom', 'exit']);
  });

  it('freeze: a frozen node changes nothing and its calls fail; unfreeze applies what was held', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('job:1', { exitAfterMs: 1000 });
    const a = await start('job:1', 'node-a');
    const b = await start('job:1', 'node-b');
    await Promise.all([a.started, b.started]);
    runtime.freeze('node-a');
    await clock.advance(5000);
    expect(runtime.containers({ node: 'node-a' }).map((c) => c.state)).toEqual(['running']);
    expect(runtime.containers({ node: 'node-b' }).map((c) => c.state)).toEqual(['exited']);
    await expect(runtime.inspectContainer(a.id)).rejects.toBeInstanceOf(MockNodeUnreachableError);
    await expect(runtime.listContainers({ [RUNTIME_LABELS.node]: 'node-a' })).rejects.toThrow(/node-a/);
    runtime.unfreeze('node-a');
    expect(await state(runtime, a.id)).toBe('exited');
  });

  it('freeze with frozenCalls hang: calls wait for unfreeze', async () => {
    const { runtime, start } = setup({ frozenCalls: 'hang' });
    const a = await start('any:1', 'node-a');
    await a.started;
    runtime.freeze('node-a');
    let answered = false;
    const inspecting = runtime.inspectContainer(a.id).then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    runtime.unfreeze('node-a');
    await inspecting;
    expect(answered).toBe(true);
  });

  it('images: pull policies, pull errors, strict mode, and a bad behaviour names its field', async () => {
    const { runtime } = setup({ strictImages: true });
    runtime.image('broken:1', { pullError: 'manifest unknown' }).image('ok:1');
    await expect(runtime.ensureImage('ok:1', 'Never')).rejects.toMatchObject({ reason: 'ErrImageNeverPull' });
    await expect(runtime.ensureImage('ok:1', 'IfNotPresent')).resolves.toMatchObject({ ref: 'ok:1' });
    await expect(runtime.ensureImage('ok:1', 'Never')).resolves.toMatchObject({ ref: 'ok:1' });
    const err = await runtime.ensureImage('broken:1', 'Always').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).message).toMatch(/manifest unknown/);
    await expect(runtime.ensureImage('unknown:1', 'IfNotPresent')).rejects.toMatchObject({ reason: 'ErrImagePull' });
    expect(runtime.calls.pulls).toBe(3);
    const bad = (() => {
      try {
        runtime.image('x:1', { startupMs: -1, exitCode: 300 });
      } catch (e) {
        return e;
      }
    })();
    expect(TugboatError.is(bad, 'Invalid')).toBe(true);
    expect((bad as TugboatError).causes.map((c) => c.field)).toEqual(['startupMs', 'exitCode']);
  });

  it('logs: the image lines, tail, and follow ending on exit', async () => {
    const { runtime, start } = setup();
    runtime.image('talk:1', { logs: ['a', 'b', 'c'] });
    const c = await start('talk:1');
    await c.started;
    const lines: string[] = [];
    for await (const l of runtime.logs(c.id, { tail: 2 })) lines.push(l.line);
    expect(lines).toEqual(['b', 'c']);
    const followed: string[] = [];
    const following = (async () => {
      for await (const l of runtime.logs(c.id, { follow: true })) followed.push(l.line);
    })();
    await new Promise((r) => setImmediate(r));
    runtime.crash({ namespace: 'default', pod: c.pod });
    await following;
    expect(followed).toEqual(['a', 'b', 'c']);
  });

  it('a stop with no grace kills at once, even during a graceful stop waiting on the clock', async () => {
    const { clock, runtime, start } = setup();
    runtime.image('slowstop:1', { stopMs: 5000 });
    const c = await start('slowstop:1');
    await c.started;
    let graceful = false;
    void runtime.stopContainer(c.id, 30_000).then(() => (graceful = true));
    await clock.advance(1000);
    expect(await state(runtime, c.id)).toBe('running');
    await runtime.stopContainer(c.id, 0);
    const s = await runtime.inspectContainer(c.id);
    expect([s.state, s.exitCode]).toEqual(['exited', 137]);
    await new Promise((r) => setImmediate(r));
    expect(graceful).toBe(true);
  });
});
