/**
 * A pod whose sandbox is killed, removed or changed under it is recovered as the kubelet does:
 * the pod's containers are killed, a new sandbox is made and the containers start in it again
 * (restartCount rising); under restartPolicy Never the pod fails instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../../src/model/types.js';
import { startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function sandboxesOf(pod: string) {
  return (await h.runtime.listSandboxes()).filter((s) => s.labels['io.tugboat.pod.name'] === pod);
}

async function events(reason: string): Promise<Event[]> {
  return (await h.cluster.client<Event>('v1', 'Event', 'default').list()).items.filter((e) => e.reason === reason);
}

describe('NodeAgent: sandbox recovery', () => {
  it('a killed sandbox (not ready) is replaced and the containers restart in the new one', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    const [first] = await sandboxesOf('web');
    await h.runtime.stopSandbox(first.id);
    await h.tick(2000);
    const pod = await h.pod('web');
    const cs = pod.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(stateOf(cs)).toBe('running');
    const ready = (await sandboxesOf('web')).filter((s) => s.state === 'ready');
    expect(ready).toHaveLength(1);
    expect(ready[0].id).not.toBe(first.id);
    const running = h.runtime.containers({ namespace: 'default', pod: 'web' }).filter((c) => c.state === 'running');
    expect(running).toHaveLength(1);
    expect((await events('SandboxChanged')).map((e) => e.message)).toContain('Pod sandbox is not ready, it will be killed and re-created.');
    // Deleting the pod removes the old sandbox too: nothing is left.
    await h.pods.delete('web');
    await h.tick(2000);
    expect(await sandboxesOf('web')).toEqual([]);
    expect(h.runtime.size).toBe(0);
  });

  it('a removed sandbox (and its containers) is recreated; restartCount keeps rising', async () => {
    h = await startHarness();
    await h.run('web', { containers: [{ name: 'web', image: 'web:1' }] });
    for (let i = 1; i <= 2; i++) {
      const [sb] = (await sandboxesOf('web')).filter((s) => s.state === 'ready');
      await h.runtime.removeSandbox(sb.id);
      await h.tick(i === 1 ? 2000 : 12_000); // the second restart waits out the 10 s back-off
      const cs = (await h.pod('web')).status!.containerStatuses![0];
      expect(cs.restartCount).toBe(i);
      expect(stateOf(cs)).toBe('running');
      expect((await sandboxesOf('web')).filter((s) => s.state === 'ready')).toHaveLength(1);
    }
  });

  it('init containers run again, from the first, in the new sandbox', async () => {
    h = await startHarness();
    h.runtime.image('init:1', { exitAfterMs: 100, exitCode: 0 });
    await h.run('p', { initContainers: [{ name: 'i', image: 'init:1' }], containers: [{ name: 'app', image: 'web:1' }] });
    await h.tick(1000);
    expect(stateOf((await h.pod('p')).status?.containerStatuses?.[0])).toBe('running');
    const [sb] = await sandboxesOf('p');
    await h.runtime.stopSandbox(sb.id);
    await h.tick(2000);
    const pod = await h.pod('p');
    expect(pod.status?.initContainerStatuses?.[0].restartCount).toBe(1);
    expect(pod.status?.containerStatuses?.[0].restartCount).toBe(1);
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('running');
  });

  it('under restartPolicy Never the pod fails and no new sandbox is made', async () => {
    h = await startHarness();
    await h.run('once', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'web:1' }] });
    const [sb] = await sandboxesOf('once');
    await h.runtime.stopSandbox(sb.id);
    await h.tick(2000);
    expect((await h.pod('once')).status?.phase).toBe('Failed');
    expect((await sandboxesOf('once')).filter((s) => s.state === 'ready')).toEqual([]);
  });
});
