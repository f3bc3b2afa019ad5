import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function restarts(name: string): Promise<number> {
  return (await h.pod(name)).status?.containerStatuses?.[0]?.restartCount ?? -1;
}

describe('NodeAgent: restarts and back-off', () => {
  it('restarts the first crash at once, then after 10s, 20s, 40s (the kubelet curve), reporting CrashLoopBackOff', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    h.runtime.crash({ namespace: 'default', pod: 'web', exitCode: 2 });
    await h.clock.advance(0);
    // No back-off entry yet: the kubelet's doBackOff restarts at once.
    let pod = await h.pod('web');
    expect(await restarts('web')).toBe(1);
    expect(stateOf(pod.status!.containerStatuses![0])).toBe('running');
    expect(pod.status!.containerStatuses![0].lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });

    h.runtime.crash({ namespace: 'default', pod: 'web', exitCode: 2 });
    await h.clock.advance(0);
    pod = await h.pod('web');
    const cs = pod.status!.containerStatuses![0];
    expect(stateOf(cs)).toBe('waiting:CrashLoopBackOff');
    expect(cs.state?.waiting?.message).toBe(`back-off 10s restarting failed container=web pod=web_default(${pod.metadata.uid})`);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(pod.status?.phase).toBe('Running');
    await h.clock.advance(9_999);
    expect(await restarts('web')).toBe(1);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(2);
    pod = await h.pod('web');
    expect(stateOf(pod.status!.containerStatuses![0])).toBe('running');
    expect(pod.status!.containerStatuses![0].lastState?.terminated?.exitCode).toBe(2);

    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(19_999);
    expect(await restarts('web')).toBe(2);
    expect((await h.pod('web')).status!.containerStatuses![0].state?.waiting?.message).toMatch(/^back-off 20s /);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(3);

    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(39_999);
    expect(await restarts('web')).toBe(3);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(4);
    // Only one container instance runs at a time; the last exited one is kept.
    const containers = h.runtime.containers({ namespace: 'default', pod: 'web' });
    expect(containers.filter((c) => c.state === 'running')).toHaveLength(1);
    expect(containers.length).toBeLessThanOrEqual(2);
  });

  it('resets the back-off after a container ran 10 minutes', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    for (const wait of [0, 10_000, 20_000, 40_000]) {
      h.runtime.crash({ namespace: 'default', pod: 'web' });
      await h.clock.advance(wait);
    }
    expect(await restarts('web')).toBe(4);
    // The next crash would wait 80 s; after a 10-minute run the entry is stale: restart at once.
    await h.clock.advance(600_001);
    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(0);
    expect(await restarts('web')).toBe(5);
    // ...and the curve starts over at 10 s.
    h.runtime.crash({ namespace: 'default', pod: 'web' });
    await h.clock.advance(9_999);
    expect(await restarts('web')).toBe(5);
    await h.clock.advance(1);
    expect(await restarts('web')).toBe(6);
  });

  it('caps the back-off at 5 minutes', async () => {
    h = await startHarness();
    h.runtime.image('crash:1', { exitAfterMs: 1000, exitCode: 1 });
    await h.run('c', { containers: [{ name: 'c', image: 'crash:1' }] });
    // runs 1 s, then restarts at once, then waits 10, 20, 40, 80, 160, 300, 300 s
    await h.clock.advance(1000);
    expect(await restarts('c')).toBe(1);
    let t = 1;
    for (const wait of [10, 20, 40, 80, 160, 300, 300]) {
      await h.clock.advance(1000 + wait * 1000 - 1);
      t++;
      expect(await restarts('c')).toBe(t - 1);
      await h.clock.advance(1);
      expect(await restarts('c')).toBe(t);
    }
    expect((await h.pod('c')).status!.containerStatuses![0].restartCount).toBe(8);
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
    expect(await restarts('of-bad')).toBe(1); // the first failure restarts at once
    await h.clock.advance(1000);
    const ofBad = await h.pod('of-bad');
    expect(ofBad.status?.phase).toBe('Running');
    expect(stateOf(ofBad.status?.containerStatuses?.[0])).toBe('waiting:CrashLoopBackOff');
    await h.clock.advance(10_000);
    expect(await restarts('of-bad')).toBe(2);
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
