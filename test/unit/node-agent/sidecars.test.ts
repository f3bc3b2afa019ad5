import { afterEach, describe, expect, it } from 'vitest';
import type { core, Pod } from '../../../src/model/types.js';
import { RecordingRuntime, cond, startHarness, stateOf, type Harness } from './harness.js';

/** A MockRuntime that remembers the order in which containers were started and stopped, by name. */
class OrderRuntime extends RecordingRuntime {
  readonly started: string[] = [];
  readonly stopped: string[] = [];
  override async startContainer(id: string): Promise<void> {
    this.started.push(this.containers().find((c) => c.id === id)?.name ?? id);
    return super.startContainer(id);
  }
  override async stopContainer(id: string, graceMs: number): Promise<void> {
    const c = this.containers().find((x) => x.id === id);
    if (c?.state === 'running') this.stopped.push(c.name);
    return super.stopContainer(id, graceMs);
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sidecar = (name: string, extra: Partial<core.Container> = {}): core.Container => ({
  name,
  image: `${name}:1`,
  restartPolicy: 'Always',
  ...extra,
});
const initStatus = (pod: Pod, name: string) => pod.status?.initContainerStatuses?.find((s) => s.name === name);

describe('NodeAgent: native sidecars (init containers with restartPolicy Always)', () => {
  it('starts in order: the next init container waits until the sidecar is started (startupProbe passed)', async () => {
    const runtime = new OrderRuntime();
    h = await startHarness({}, runtime);
    runtime.image('setup:1', { exitAfterMs: 1000 });
    runtime.image('proxy:1', { readyAfterMs: 5000 });
    runtime.image('migrate:1', { exitAfterMs: 1000 });
    await h.run('p', {
      initContainers: [
        { name: 'setup', image: 'setup:1' },
        sidecar('proxy', { startupProbe: { tcpSocket: { port: 15000 }, periodSeconds: 1, failureThreshold: 30 } }),
        { name: 'migrate', image: 'migrate:1' },
      ],
      containers: [{ name: 'web', image: 'web:1' }],
    });
    expect(runtime.started).toEqual(['setup']);
    await h.tick(1000);
    expect(runtime.started).toEqual(['setup', 'proxy']);
    let pod = await h.pod('p');
    expect(initStatus(pod, 'proxy')).toMatchObject({ started: false, ready: false, restartCount: 0 });
    expect(stateOf(initStatus(pod, 'proxy'))).toBe('running');
    expect(pod.status?.phase).toBe('Pending');
    expect(cond(pod, 'Initialized')).toBe('False');
    await h.tick(4000);
    expect(runtime.started).toEqual(['setup', 'proxy']);
    await h.tick(1000);
    expect(runtime.started).toEqual(['setup', 'proxy', 'migrate']);
    await h.tick(2000);
    expect(runtime.started).toEqual(['setup', 'proxy', 'migrate', 'web']);
    pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(cond(pod, 'Initialized')).toBe('True');
    expect(cond(pod, 'Ready')).toBe('True');
    expect(initStatus(pod, 'proxy')).toMatchObject({ started: true, ready: true, restartCount: 0 });
    expect(stateOf(initStatus(pod, 'proxy'))).toBe('running');
    // A completed regular init container reports ready, as the kubelet does.
    expect(initStatus(pod, 'setup')).toMatchObject({ ready: true, started: false });
    expect(stateOf(initStatus(pod, 'setup'))).toBe('terminated:Completed');
  });

  it('is restarted whenever it exits, whatever the pod restartPolicy, with back-off; the app keeps running', async () => {
    h = await startHarness();
    await h.run('p', { restartPolicy: 'Never', initContainers: [sidecar('log')], containers: [{ name: 'web', image: 'web:1' }] });
    expect((await h.pod('p')).status?.phase).toBe('Running');
    h.runtime.crash({ namespace: 'default', pod: 'p', container: 'log', exitCode: 0 });
    await h.clock.advance(0);
    let pod = await h.pod('p');
    expect(initStatus(pod, 'log')?.restartCount).toBe(1);
    expect(stateOf(initStatus(pod, 'log'))).toBe('running');
    h.runtime.crash({ namespace: 'default', pod: 'p', container: 'log', exitCode: 2 });
    await h.clock.advance(0);
    pod = await h.pod('p');
    expect(stateOf(initStatus(pod, 'log'))).toBe('waiting:CrashLoopBackOff');
    // The pod stays Running and initialized while its sidecar restarts.
    expect(pod.status?.phase).toBe('Running');
    expect(cond(pod, 'Initialized')).toBe('True');
    expect(cond(pod, 'Ready')).toBe('False');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [log]');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('running');
    await h.clock.advance(10_000);
    pod = await h.pod('p');
    expect(initStatus(pod, 'log')?.restartCount).toBe(2);
    expect(cond(pod, 'Ready')).toBe('True');
  });

  it("counts the sidecar's readiness probe in the pod's readiness", async () => {
    h = await startHarness();
    let healthy = false;
    h.runtime.image('mesh:1', { exec: () => ({ exitCode: healthy ? 0 : 1, stdout: '', stderr: '' }) });
    await h.run('p', {
      initContainers: [sidecar('mesh', { readinessProbe: { exec: { command: ['ok'] }, periodSeconds: 1 } })],
      containers: [{ name: 'web', image: 'web:1' }],
    });
    await h.tick(3000);
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('running');
    expect(cond(pod, 'ContainersReady')).toBe('False');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [mesh]');
    healthy = true;
    await h.tick(2000);
    pod = await h.pod('p');
    expect(initStatus(pod, 'mesh')?.ready).toBe(true);
    expect(cond(pod, 'Ready')).toBe('True');
  });

  it('completes a Job-like pod when its app containers finish, stopping the still-running sidecars', async () => {
    const runtime = new OrderRuntime();
    h = await startHarness({}, runtime);
    runtime.image('task:1', { exitAfterMs: 5000 });
    await h.run('job-1', {
      restartPolicy: 'Never',
      initContainers: [sidecar('a'), sidecar('b')],
      containers: [{ name: 'task', image: 'task:1' }],
    });
    expect((await h.pod('job-1')).status?.phase).toBe('Running');
    await h.tick(6000);
    const pod = await h.pod('job-1');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('terminated:Completed');
    expect(runtime.stopped).toEqual(['b', 'a']);
    expect(runtime.containers({ namespace: 'default', pod: 'job-1' }).every((c) => c.state === 'exited')).toBe(true);
    // Stopped sidecars are not restarted.
    await h.tick(30_000);
    expect(runtime.containers({ namespace: 'default', pod: 'job-1' })).toHaveLength(3);
  });

  it('fails a Never pod whose regular init container failed after a sidecar started, and stops the sidecar', async () => {
    h = await startHarness();
    h.runtime.image('bad:1', { exitAfterMs: 1000, exitCode: 3 });
    await h.run('p', {
      restartPolicy: 'Never',
      initContainers: [sidecar('proxy'), { name: 'bad', image: 'bad:1' }],
      containers: [{ name: 'web', image: 'web:1' }],
    });
    await h.tick(2000);
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Failed');
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' }).map((c) => [c.name, c.state])).toEqual([
      ['proxy', 'exited'],
      ['bad', 'exited'],
    ]);
  });

  it('stops the app containers first, then the sidecars in reverse order, on deletion', async () => {
    const runtime = new OrderRuntime();
    h = await startHarness({}, runtime);
    runtime.image('web:1', { stopMs: 3000 });
    await h.run('p', {
      terminationGracePeriodSeconds: 30,
      initContainers: [sidecar('first'), sidecar('second')],
      containers: [
        { name: 'web', image: 'web:1' },
        { name: 'api', image: 'api:1' },
      ],
    });
    await h.pods.delete('p');
    await h.clock.advance(0);
    expect(runtime.stopped.slice(0, 2).sort()).toEqual(['api', 'web']);
    // The sidecars wait until every app container is gone.
    expect(
      runtime
        .containers({ namespace: 'default', pod: 'p' })
        .filter((c) => c.state === 'running')
        .map((c) => c.name),
    ).toEqual(['first', 'second', 'web']);
    await h.clock.advance(3000);
    expect(runtime.stopped).toEqual([expect.any(String), expect.any(String), 'second', 'first']);
    expect(await h.pods.find('p')).toBeUndefined();
  });
});
