/**
 * Two running clusters with the same name and node names on one runtime (two test files in
 * parallel on one daemon) never touch each other's containers; what a gone cluster left is
 * swept by the next one to start.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Pod } from '../../../src/model/types.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';

const pod = (name: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'web:1' }] },
  }) as Pod;

async function start(clock: FakeClock, runtime: MockRuntime): Promise<Cluster> {
  return Cluster.start({ clock, name: 'same', scheduler: false, nodes: [{ name: 'node-a', runtime }] });
}

describe('cluster instances on one runtime', () => {
  it("a second live cluster of the same name neither sweeps nor stops the first one's containers", async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const runtime = new MockRuntime({ clock });
    const a = await start(clock, runtime);
    await a.apply(pod('from-a'));
    await clock.advance(1000);
    const ofA = () => runtime.containers({ namespace: 'default', pod: 'from-a' }).filter((c) => c.state === 'running');
    expect(ofA()).toHaveLength(1);
    expect(ofA()[0].labels[RUNTIME_LABELS.instance]).toBe(a.nodePool.instance.id);

    const b = await start(clock, runtime); // the start-up sweep of B
    await b.apply(pod('from-b'));
    await clock.advance(1000);
    expect(ofA()).toHaveLength(1);
    await b.stop();
    expect(ofA()).toHaveLength(1);
    expect(runtime.containers({ namespace: 'default', pod: 'from-b' })).toEqual([]);

    await a.stop();
    expect(runtime.size).toBe(0);
  });

  it('the containers of a cluster that is gone (stopped without cleaning) are swept by the next start', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const runtime = new MockRuntime({ clock });
    const a = await start(clock, runtime);
    await a.apply(pod('left'));
    await clock.advance(1000);
    a.nodePool.kill('node-a'); // its agent touches nothing more...
    await a.nodePool.instance.release(); // ...and its owner is gone
    const b = await start(clock, runtime);
    await clock.advance(1000);
    expect(runtime.containers({ namespace: 'default', pod: 'left' })).toEqual([]);
    await b.stop();
    await a.stop();
    expect(runtime.size).toBe(0);
  });
});
