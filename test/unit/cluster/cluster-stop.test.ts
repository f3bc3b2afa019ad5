import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';

describe('Cluster.stop', () => {
  it('removes every container without waiting for fake time, even for slow-stopping ones mid-termination', async () => {
    const clock = new FakeClock();
    const runtime = new MockRuntime();
    runtime.image('slowstop:1', { stopMs: 20_000 });
    const cluster = await Cluster.start({ clock, nodes: [{ name: 'a', runtime }] });
    await cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'slowstop:1' }] } },
      },
    });
    for (let i = 0; i < 5 && runtime.containers({}).filter((c) => c.state === 'running').length < 2; i++) await clock.advance(1000);
    expect(runtime.containers({}).filter((c) => c.state === 'running')).toHaveLength(2);
    const [pod] = (await cluster.pods().list()).items;
    await cluster.pods().delete(pod.metadata.name!);
    await clock.advance(1000);
    await cluster.stop();
    expect(runtime.containers({})).toHaveLength(0);
  });
});
