import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../../src/model/types.js';
import { cond, startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function events(reason: string): Promise<Event[]> {
  return (await h.cluster.events.list('default')).filter((e) => e.reason === reason);
}

describe('NodeAgent: probes', () => {
  it('a readiness probe drives Ready, ContainersReady and containerStatuses[].ready', async () => {
    h = await startHarness();
    h.runtime.image('slow:1', { readyAfterMs: 15_000 });
    await h.run('p', {
      containers: [
        {
          name: 'c',
          image: 'slow:1',
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 3, successThreshold: 1 },
        },
      ],
    });
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(cond(pod, 'Ready')).toBe('False');
    expect(pod.status?.containerStatuses?.[0].ready).toBe(false);
    await h.clock.advance(14_000);
    expect(cond(await h.pod('p'), 'Ready')).toBe('False');
    await h.clock.advance(1_000);
    pod = await h.pod('p');
    expect(cond(pod, 'Ready')).toBe('True');
    expect(cond(pod, 'ContainersReady')).toBe('True');
    expect(pod.status?.containerStatuses?.[0].ready).toBe(true);
  });

  it('readiness failures past failureThreshold make the pod unready again', async () => {
    h = await startHarness();
    let healthy = true;
    h.runtime.image('flaky:1', { exec: () => ({ exitCode: healthy ? 0 : 1, stdout: '', stderr: 'down' }) });
    await h.run('p', {
      containers: [
        { name: 'c', image: 'flaky:1', readinessProbe: { exec: { command: ['check'] }, periodSeconds: 10, failureThreshold: 2 } },
      ],
    });
    expect(cond(await h.pod('p'), 'Ready')).toBe('True');
    healthy = false;
    await h.clock.advance(10_000);
    expect(cond(await h.pod('p'), 'Ready')).toBe('True');
    await h.clock.advance(10_000);
    expect(cond(await h.pod('p'), 'Ready')).toBe('False');
    expect((await events('Unhealthy')).length).toBeGreaterThan(0);
    healthy = true;
    await h.clock.advance(10_000);
    expect(cond(await h.pod('p'), 'Ready')).toBe('True');
  });

  it('a liveness failure kills and restarts the container, with Unhealthy and Killing events', async () => {
    h = await startHarness();
    let healthy = true;
    h.runtime.image('live:1', { exec: () => ({ exitCode: healthy ? 0 : 1, stdout: '', stderr: '' }) });
    await h.run('p', {
      containers: [{ name: 'c', image: 'live:1', livenessProbe: { exec: { command: ['alive'] }, periodSeconds: 10, failureThreshold: 3 } }],
    });
    healthy = false;
    await h.clock.advance(30_000);
    let pod = await h.pod('p');
    const cs = pod.status!.containerStatuses![0];
    // The first restart is at once (no back-off entry yet).
    expect(stateOf(cs)).toBe('running');
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated?.exitCode).toBe(143);
    const killing = await events('Killing');
    expect(killing.map((e) => e.message)).toContain('Container c failed liveness probe, will be restarted');
    expect((await events('Unhealthy')).reduce((n, e) => n + (e.count ?? 1), 0)).toBeGreaterThanOrEqual(3);
    healthy = true;
    await h.clock.advance(10_000);
    pod = await h.pod('p');
    expect(pod.status!.containerStatuses![0].restartCount).toBe(1);
    expect(stateOf(pod.status!.containerStatuses![0])).toBe('running');
  });

  it('a startup probe gates readiness and liveness until it succeeds', async () => {
    h = await startHarness();
    h.runtime.image('boot:1', { readyAfterMs: 20_000 });
    let livenessRuns = 0;
    h.runtime.image('boot:1', { readyAfterMs: 20_000, exec: () => (livenessRuns++, { exitCode: 1, stdout: '', stderr: '' }) });
    await h.run('p', {
      containers: [
        {
          name: 'c',
          image: 'boot:1',
          startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 10 },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          livenessProbe: { exec: { command: ['x'] }, periodSeconds: 5, failureThreshold: 100 },
        },
      ],
    });
    await h.clock.advance(19_000);
    let cs = (await h.pod('p')).status!.containerStatuses![0];
    expect(cs.started).toBe(false);
    expect(cs.ready).toBe(false);
    expect(livenessRuns).toBe(0);
    await h.clock.advance(1_000);
    cs = (await h.pod('p')).status!.containerStatuses![0];
    expect(cs.started).toBe(true);
    expect(cs.ready).toBe(true);
    expect(livenessRuns).toBeGreaterThan(0);
  });

  it('a startup probe past its failureThreshold restarts the container', async () => {
    h = await startHarness();
    h.runtime.image('never:1', { readyAfterMs: 10 ** 9 });
    await h.run('p', {
      containers: [{ name: 'c', image: 'never:1', startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 3 } }],
    });
    await h.clock.advance(20_000);
    expect((await h.pod('p')).status!.containerStatuses![0].restartCount).toBe(1); // at once, the first time
    await h.clock.advance(20_000);
    expect(stateOf((await h.pod('p')).status!.containerStatuses![0])).toBe('waiting:CrashLoopBackOff');
    const killing = await events('Killing');
    expect(killing.map((e) => e.message)).toContain('Container c failed startup probe, will be restarted');
  });
});
