/**
 * A control plane restarted on the same store resumes the runtime identity kept there (an
 * annotation of kube-system) and adopts the containers its earlier run left running, instead of
 * sweeping them as a gone owner's and starting its pods anew.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Namespace, Pod } from '../../../src/model/types.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { RUNTIME_INSTANCE_ANNOTATION } from '../../../src/model/well-known.js';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'web:1' }] },
} as Pod;

describe('the cluster identity in the store', () => {
  it('is resumed by a restart on the same store, whose agent adopts the running container', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const runtime = new MockRuntime({ clock });
    const store = new MemoryStore({ clock });
    const start = () => Cluster.start({ clock, store, name: 'kept', scheduler: false, nodes: [{ name: 'node-a', runtime }] });
    const a = await start();
    await a.apply(pod);
    await clock.advance(1000);
    const running = () => runtime.containers({ namespace: 'default', pod: 'web' }).filter((c) => c.state === 'running');
    expect(running()).toHaveLength(1);
    const before = running()[0];
    const ns = await a.client<Namespace>('v1', 'Namespace').get('kube-system');
    expect(JSON.parse(ns.metadata.annotations?.[RUNTIME_INSTANCE_ANNOTATION] ?? '{}')).toEqual({
      cluster: 'kept',
      instance: a.nodePool.instance.id,
    });
    // The process "dies": its agent touches nothing more and its owner record is gone.
    a.nodePool.kill('node-a');
    await a.nodePool.instance.release();

    const b = await start();
    expect(b.nodePool.instance.id).toBe(a.nodePool.instance.id);
    await clock.advance(1000);
    await b.settled();
    expect(running()).toEqual([before]);
    const status = (await b.pods('default').get('web')).status;
    expect(status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(status?.containerStatuses?.[0]?.containerID).toContain(before.id);
    await b.stop();
    await a.stop();
    expect(runtime.size).toBe(0);
  });

  it('is not taken by a cluster of another name on the store, which gets its own', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const store = new MemoryStore({ clock });
    const a = await Cluster.start({ clock, store, name: 'one', scheduler: false });
    const b = await Cluster.start({ clock, store, name: 'two', scheduler: false });
    expect(b.nodePool.instance.id).not.toBe(a.nodePool.instance.id);
    await b.stop();
    await a.stop();
  });
});
