import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function restarts(name: string): Promise<number> {
  return (await h.pod(name)).status?.containerStatuses?.[0]?.restartCount ?? -1;
}

describe('NodeAgent: restarts and back-off', () => {
  it('restarts a crashed container after 10s, then 20s, 40s, reporting CrashLoopBackOff', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    h.runtime.crash({ namespace: 'default', pod: 'web', exitCode: 2 });
    await h.clock.advance(0);
    let pod = await h.pod('web');
    const cs = pod.status!.containerStatuses![0];
    expect(stateOf(cs)).toBe('waiting:CrashLoopBackOff');
    expect(cs.state?.waiting?.message).toBe(`back-off 10s restarting failed container=web pod=web_default(${pod.metadata.uid})`);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(pod.status?.phase).toBe('Running');
    await h.clock.advance(9_999);
    expect(await restarts('web')).toBe(0);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(1);
    pod = await h.pod('web');
    expect(stateOf(pod.status!.containerStatuses![0])).toBe('running');
    expect(pod.status!.containerStatuses![0].lastState?.terminated?.exitCode).toBe(2);

    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(19_999);
    expect(await restarts('web')).toBe(1);
    expect((await h.pod('web')).status!.containerStatuses![0].state?.waiting?.message).toMatch(/^back-off 20s /);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(2);

    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(39_999);
    expect(await restarts('web')).toBe(2);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(3);
    // Only one container instance runs at a time; the last exited one is kept.
    const containers = h.runtime.containers({ namespace: 'default', pod: 'web' });
    expect(containers.filter((c) => c.state === 'running')).toHaveLength(1);
    expect(containers.length).toBeLessThanOrEqual(2);
  });

  it('resets the back-off after a container ran 10 minutes', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    for (const wait of [10_000, 20_000, 40_000]) {
      h.runtime.crash({ namespace: 'default', pod: 'web' });
      await h.clock.advance(wait);
    }
    expect(await restarts('web')).toBe(3);
    await h.clock.advance(600_000);
    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(10_000);
    expect(await restarts('web')).toBe(4);
  });

  it('caps the back-off at 5 minutes', async () => {
    h = await startHarness();
    h.runtime.image('crash:1', { exitAfterMs: 1000, exitCode: 1 });
    await h.run('c', { containers: [{ name: 'c', image: 'crash:1' }] });
    // runs 1 s, then waits 10, 20, 40, 80, 160, 300, 300 s
    let t = 0;
    for (const wait of [10, 20, 40, 80, 160, 300, 300]) {
      await h.clock.advance(1000 + wait * 1000 - 1);
      t++;
      expect(await restarts('c')).toBe(t - 1);
      await h.clock.advance(1);
      expect(await restarts('c')).toBe(t);
    }
    expect((await h.pod('c')).status!.containerStatuses![0].restartCount).toBe(7);
  });

  it('OnFailure restarts failures but not successes; Never restarts nothing and fails the pod', async () => {
    h = await startHarness();
    h.runtime.image('ok:1', { exitAfterMs: 1000, exitCode: 0 }).image('bad:1', { exitAfterMs: 1000, exitCode: 3 });
    await h.run('of-ok', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'ok:1' }] });
    await h.run('of-bad', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'bad:1' }] });
    await h.run('never-bad', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'bad:1' }] });
    await h.clock.advance(1000);
    expect((await h.pod('of-ok')).status?.phase).toBe('Succeeded');
    expect((await h.pod('never-bad')).status?.phase).toBe('Failed');
    expect(stateOf((await h.pod('never-bad')).status?.containerStatuses?.[0])).toBe('terminated:Error');
    const ofBad = await h.pod('of-bad');
    expect(ofBad.status?.phase).toBe('Running');
    expect(stateOf(ofBad.status?.containerStatuses?.[0])).toBe('waiting:CrashLoopBackOff');
    await h.clock.advance(10_000);
    expect(await restarts('of-bad')).toBe(1);
    await h.clock.advance(60_000);
    expect(await restarts('of-ok')).toBe(0);
    expect(await restarts('never-bad')).toBe(0);
  });

  it('reports OOMKilled in lastState', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    h.runtime.oom({ namespace: 'default', pod: 'web' });
    await h.clock.advance(0);
    const cs = (await h.pod('web')).status!.containerStatuses![0];
    expect(cs.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });

  it('shows ErrImagePull then ImagePullBackOff and recovers', async () => {
    h = await startHarness();
    h.runtime.image('missing:1', { pullError: 'manifest unknown' });
    await h.run('p', { containers: [{ name: 'c', image: 'missing:1', imagePullPolicy: 'Always' }] });
    expect(stateOf((await h.pod('p')).status?.containerStatuses?.[0])).toBe('waiting:ErrImagePull');
    await h.clock.advance(1000);
    expect(stateOf((await h.pod('p')).status?.containerStatuses?.[0])).toBe('waiting:ImagePullBackOff');
    expect((await h.pod('p')).status?.phase).toBe('Pending');
  });
});
