import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { ApiContext } from '../../../src/client/types.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { KubeObject, Pod } from '../../../src/model/types.js';
import { NodeAgent } from '../../../src/node-agent/node-agent.js';
import { PodDispatcher } from '../../../src/node-agent/pod-source.js';
import { RuntimeEventHub } from '../../../src/node-agent/runtime-events.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import { InformerFactory } from '../../../src/client/informer-factory.js';
import { clientArgs, kinds, type KindRef } from '../../../src/client/kinds.js';

describe('shared pod dispatcher', () => {
  it('many agents share one pod informer (one watch), and each runs only its own pods', async () => {
    const clock = new FakeClock();
    const cluster = await Cluster.start({ clock, name: 'test', scheduler: false });
    let podWatches = 0;
    const base = cluster.context;
    const ctx: ApiContext = {
      clock: base.clock,
      events: base.events,
      discover: () => base.discover(),
      bindPod: (binding) => base.bindPod(binding),
      evictPod: (eviction) => base.evictPod(eviction),
      createToken: (request) => base.createToken(request),
      client<T extends KubeObject>(a: KindRef<T> | string, b?: string, c0?: string) {
        const { apiVersion, kind, namespace } = clientArgs(a, b, c0);
        const c = base.client<T>(apiVersion, kind, namespace);
        if (kind !== 'Pod') return c;
        return new Proxy(c, {
          get(target, prop, receiver) {
            if (prop === 'watch') return (...args: Parameters<typeof c.watch>) => (podWatches++, target.watch(...args));
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        });
      },
    };
    const runtime = new MockRuntime();
    const informers = new InformerFactory(ctx);
    const deps = { pods: new PodDispatcher(informers.informer(kinds.Pod)), runtimeEvents: new RuntimeEventHub(runtime) };
    const agents = Array.from({ length: 20 }, (_, i) => new NodeAgent(ctx, { name: `n${i}`, runtime, clusterName: 'test' }, deps));
    await Promise.all(agents.map((a) => a.start()));
    const pods = cluster.client<Pod>('v1', 'Pod', 'default');
    for (let i = 0; i < 40; i++) {
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}` },
        spec: { nodeName: `n${i % 20}`, containers: [{ name: 'c', image: 'web:1' }] },
      } as Pod);
    }
    await clock.advance(0);
    expect(podWatches).toBe(1);
    for (let i = 0; i < 20; i++)
      expect(
        runtime
          .containers({ node: `n${i}` })
          .map((c) => c.pod)
          .sort(),
      ).toEqual([`p${i}`, `p${i + 20}`].sort());
    const listed = (await pods.list()).items;
    expect(listed.every((p) => p.status?.phase === 'Running')).toBe(true);
    // An agent that stops leaves the others running.
    await agents[0].stop({ removePods: true });
    expect(runtime.containers({ node: 'n0' })).toHaveLength(0);
    await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'late' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'web:1' }] },
    } as Pod);
    await clock.advance(0);
    expect(runtime.containers({ namespace: 'default', pod: 'late' })).toHaveLength(1);
    // A pod bound after creation (as the scheduler does) reaches its node's agent.
    await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unbound' },
      spec: { containers: [{ name: 'c', image: 'web:1' }] },
    } as Pod);
    await clock.advance(0);
    expect(runtime.containers({ namespace: 'default', pod: 'unbound' })).toHaveLength(0);
    await ctx.bindPod({ namespace: 'default', name: 'unbound', nodeName: 'n5' });
    await clock.advance(0);
    expect(runtime.containers({ namespace: 'default', pod: 'unbound' }).map((c) => c.node)).toEqual(['n5']);
    await Promise.all(agents.slice(1).map((a) => a.stop({ removePods: true })));
    expect(runtime.size).toBe(0);
    await informers.stop();
    await cluster.stop();
  });
});
