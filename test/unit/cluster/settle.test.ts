/**
 * cluster.settled() waits for the whole cluster (controllers, scheduler, node agents, garbage
 * collector); cluster.advanceUntil() drives a FakeClock cluster until a predicate holds; and an
 * idle cluster sets no repeating timer, so a FakeClock can jump a year at the cost of a few firings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Timer } from '../../../src/clock/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import type { Pod } from '../../../src/model/types.js';
import { makeDeployment, makePod, startMockCluster, type MockCluster } from '../../../src/testing.js';
import { rejection } from '../../support/rejection.js';

/** A FakeClock that counts the timers it fires. */
class CountingClock extends FakeClock {
  fired = 0;
  override setTimeout(fn: () => void, ms: number): Timer {
    return super.setTimeout(() => {
      this.fired++;
      fn();
    }, ms);
  }
}

const DAY = 24 * 3600_000;
const running = (p: Pod | undefined) => p?.status?.phase === 'Running';

let m: MockCluster | undefined;
let plain: Cluster | undefined;
afterEach(async () => {
  await m?.stop();
  await plain?.stop();
  m = plain = undefined;
});

describe('an idle cluster sets no repeating timer', () => {
  it('a cluster with no nodes jumps 365 days ahead with a bounded number of timer firings', async () => {
    const clock = new CountingClock();
    plain = await Cluster.start({ clock });
    await plain.settled();
    const before = clock.fired;
    await clock.advance(365 * DAY);
    expect(clock.fired - before).toBeLessThanOrEqual(5);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('the scheduler arms its flush only while a pod waits: an unschedulable pod is retried, then nothing is armed once it is gone', async () => {
    const clock = new CountingClock();
    plain = await Cluster.start({ clock });
    await plain.pods().create(makePod('lonely').obj());
    await plain.settled();
    const scheduled = () =>
      plain!
        .pods()
        .get('lonely')
        .then((p) => p.status?.conditions?.find((c) => c.type === 'PodScheduled'));
    expect(await scheduled()).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(clock.pendingTimers()).toBeGreaterThan(0); // the unschedulable flush (60 s)
    const events = async () =>
      (await plain!.events.list('default')).filter((e) => e.reason === 'FailedScheduling').reduce((n, e) => n + (e.count ?? 1), 0);
    const tries = await events();
    await clock.advance(61_000);
    await plain.settled();
    expect(await events()).toBeGreaterThan(tries); // retried after the unschedulable timeout
    await plain.pods().delete('lonely', { gracePeriodSeconds: 0 });
    await plain.settled();
    await clock.advance(120_000); // at most the flush armed while it waited fires
    const after = clock.fired;
    await clock.advance(365 * DAY);
    expect(clock.fired - after).toBe(0);
  });
});

describe('cluster.settled()', () => {
  it('waits for the scheduler and the node agents, not just the garbage collector: a pod is bound and Running without moving the clock', async () => {
    m = await startMockCluster({ nodes: 2 });
    const now = m.clock.nowMs();
    await m.cluster.pods().create(makePod('web').obj());
    await m.cluster.settled();
    const pod = await m.cluster.pods().get('web');
    expect(pod.spec?.nodeName).toMatch(/^node-[ab]$/);
    expect(pod.status?.phase).toBe('Running');
    expect(m.clock.nowMs()).toBe(now);
  });

  it('waits for the controllers too: a Deployment has its ReplicaSet and three Running pods', async () => {
    m = await startMockCluster({ nodes: 3 });
    await m.cluster.apply(makeDeployment('web').replicas(3).obj());
    await m.cluster.settled();
    const pods = (await m.cluster.pods().list({ labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every(running)).toBe(true);
    expect((await m.cluster.replicaSets().list()).items).toHaveLength(1);
  });

  it('does not wait for a node agent waiting on the fake clock inside a runtime call (a 30 s image pull)', async () => {
    const clock = new FakeClock();
    const runtime = new MockRuntime({ clock, pullMs: 30_000 });
    plain = await Cluster.start({ clock, nodes: [{ name: 'node-a', runtime }] });
    await plain.pods().create(makePod('slow').obj());
    await plain.settled();
    const pod = await plain.pods().get('slow');
    expect(pod.spec?.nodeName).toBe('node-a');
    expect(pod.status?.phase).not.toBe('Running');
    await plain.advanceUntil(async () => running(await plain!.pods().get('slow')), { maxMs: 31_000 });
  });
});

describe('cluster.advanceUntil()', () => {
  it('advances the clock until the predicate holds and resolves with its value', async () => {
    m = await startMockCluster({ nodes: 1 });
    m.runtime.image('slow:1', { startupMs: 30_000 });
    await m.cluster.pods().create(makePod('slow').image('slow:1').obj());
    const start = m.clock.nowMs();
    const pod = await m.cluster.advanceUntil(async () => {
      const p = await m!.cluster.pods().get('slow');
      return running(p) ? p : undefined;
    });
    expect(pod?.metadata.name).toBe('slow');
    const took = m.clock.nowMs() - start;
    expect(took).toBeGreaterThanOrEqual(30_000);
    expect(took).toBeLessThanOrEqual(32_000);
  });

  it('fails with a Timeout naming how far it went and the last result', async () => {
    m = await startMockCluster({ nodes: 1 });
    const err = await rejection(m.cluster.advanceUntil(() => 0, { stepMs: 500, maxMs: 2000 }));
    expect(err.reason).toBe('Timeout');
    expect(err.message).toContain('advancing the clock 2000ms in 4 steps of 500ms');
    expect(err.message).toContain('last result: 0');
  });

  it('a predicate that throws counts as not yet; the last error is named', async () => {
    m = await startMockCluster({ nodes: 1 });
    const err = await rejection(m.cluster.advanceUntil(() => m!.cluster.pods().get('missing'), { maxMs: 1000 }));
    expect(err.message).toContain('1 steps');
    expect(err.message).toMatch(/last error: TugboatError: pods "missing" not found/);
  });

  it('needs a FakeClock', async () => {
    plain = await Cluster.start({ controllers: false, scheduler: false });
    const err = await rejection(plain.advanceUntil(() => true));
    expect(err).toBeInstanceOf(TugboatError);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toContain('FakeClock');
  });
});
