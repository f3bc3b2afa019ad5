import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Node, Pod, PriorityClass } from '../../../src/model/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { SchedulerOptions } from '../../../src/scheduler/scheduler.js';
import type { FilterPlugin } from '../../../src/scheduler/types.js';
import { unresolvable, success } from '../../../src/scheduler/status.js';
import { makeNode, makePod } from '../../../src/testing.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function setup(nodes: Node[], options: SchedulerOptions = {}) {
  const clock = new FakeClock();
  // The cluster's own scheduler is the one under test, so cluster.settled() waits for it.
  const cluster = await Cluster.start({ clock, scheduler: options });
  cleanup.push(() => cluster.stop());
  const nodeClient = cluster.client<Node>('v1', 'Node');
  for (const n of nodes) {
    const created = await nodeClient.create({ metadata: n.metadata, spec: n.spec });
    await nodeClient.updateStatus({ ...created, status: n.status });
  }
  const scheduler = cluster.scheduler!;
  const pods = cluster.client<Pod>('v1', 'Pod', 'default');
  const create = (p: Pod) => pods.create({ metadata: { name: p.metadata.name, labels: p.metadata.labels }, spec: p.spec });
  /** Settles the cluster (the clock does not move), then `check` must hold. */
  const until = (check: () => Promise<boolean>) => cluster.advanceUntil(check, { maxMs: 0 });
  return { cluster, clock, scheduler, pods, create, until };
}

describe('Scheduler on a Cluster', () => {
  it('a scheduler that starts on a store already holding pending pods binds them', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    // The first API layer runs no scheduler: its pods stay pending.
    const before = await Cluster.start({ clock, store, scheduler: false });
    cleanup.push(() => before.stop());
    const node = makeNode('n1').capacity({ cpu: '2' }).obj();
    const created = await before.client<Node>('v1', 'Node').create({ metadata: node.metadata, spec: node.spec });
    await before.client<Node>('v1', 'Node').updateStatus({ ...created, status: node.status });
    const pod = makePod('waiting').req({ cpu: '500m' }).obj();
    await before.client<Pod>('v1', 'Pod', 'default').create({ metadata: { name: 'waiting' }, spec: pod.spec });
    await before.settled();
    expect((await before.client<Pod>('v1', 'Pod', 'default').get('waiting')).spec?.nodeName).toBeUndefined();
    // A second layer on the same store starts a scheduler, which finds the pod in its first list.
    const after = await Cluster.start({ clock, store, controllers: false });
    cleanup.push(() => after.stop());
    const pods = after.client<Pod>('v1', 'Pod', 'default');
    await after.advanceUntil(async () => (await pods.get('waiting')).spec?.nodeName === 'n1', { maxMs: 0 });
  });

  it('binds pods, and reports the unschedulable one with the condition, message and Event', async () => {
    const { cluster, pods, create, until } = await setup([
      makeNode('n1').capacity({ cpu: '1' }).obj(),
      makeNode('n2').capacity({ cpu: '1' }).obj(),
      makeNode('gpu').taint('dedicated', 'gpu').obj(),
    ]);
    await create(makePod('a').req({ cpu: '600m' }).obj());
    await create(makePod('b').req({ cpu: '600m' }).obj());
    await create(makePod('big').req({ cpu: '2' }).obj());
    await until(async () => !!(await pods.get('a')).spec?.nodeName && !!(await pods.get('b')).spec?.nodeName);
    const a = await pods.get('a');
    const b = await pods.get('b');
    expect(new Set([a.spec!.nodeName, b.spec!.nodeName])).toEqual(new Set(['n1', 'n2']));
    await until(
      async () => (await pods.get('b')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True') ?? false,
    );

    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.';
    await until(async () => (await pods.get('big')).status?.conditions?.some((c) => c.type === 'PodScheduled') ?? false);
    const big = await pods.get('big');
    expect(big.spec?.nodeName).toBeUndefined();
    const cond = big.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(cond.message).toBe(
      message +
        ' preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    await until(async () => (await cluster.events.list('default')).some((e) => e.reason === 'FailedScheduling'));
    const ev = (await cluster.events.list('default')).find((e) => e.reason === 'FailedScheduling')!;
    expect(ev.message, JSON.stringify(ev)).toBe(cond.message);
    expect(ev.type).toBe('Warning');
  });

  it('stamps the Unschedulable condition in whole seconds, as metav1.Time', async () => {
    const { pods, create, clock, until } = await setup([makeNode('small').capacity({ cpu: '1' }).obj()]);
    await clock.advance(1123);
    await create(makePod('p').req({ cpu: '2' }).obj());
    await until(async () => (await pods.get('p')).status?.conditions?.some((c) => c.reason === 'Unschedulable') ?? false);
    const cond = (await pods.get('p')).status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(cond.lastTransitionTime).toBe('2026-01-01T00:00:01Z');
  });

  it('retries an unschedulable pod when a node appears', async () => {
    const { cluster, pods, create, until } = await setup([makeNode('small').capacity({ cpu: '1' }).obj()]);
    await create(makePod('p').req({ cpu: '2' }).obj());
    await until(async () => (await pods.get('p')).status?.conditions?.some((c) => c.reason === 'Unschedulable') ?? false);
    const nodeClient = cluster.client<Node>('v1', 'Node');
    const n = makeNode('large').capacity({ cpu: '8' }).obj();
    const created = await nodeClient.create({ metadata: n.metadata, spec: n.spec });
    await nodeClient.updateStatus({ ...created, status: n.status });
    // The node event moves it to back-off (it failed less than a back-off ago); time moves it on.
    await cluster.advanceUntil(async () => (await pods.get('p')).spec?.nodeName === 'large', { maxMs: 2000 });
  });

  it('ignores pods for other schedulers and resolves PriorityClass priority for preemption', async () => {
    const { cluster, pods, create, clock, until } = await setup([makeNode('n1').capacity({ cpu: '1' }).obj()]);
    await cluster.client<PriorityClass>('scheduling.k8s.io/v1', 'PriorityClass').create({ metadata: { name: 'high' }, value: 1000 });
    const other = makePod('other').obj();
    other.spec!.schedulerName = 'my-scheduler';
    await create(other);
    await create(makePod('low').req({ cpu: '1' }).obj());
    await until(async () => (await pods.get('low')).spec?.nodeName === 'n1');
    const urgent = makePod('urgent').req({ cpu: '1' }).obj();
    urgent.spec!.priorityClassName = 'high';
    await create(urgent);
    await until(async () => (await pods.get('urgent')).status?.nominatedNodeName === 'n1');
    // The victim is deleted (gracefully: it is bound, so it may linger with a deletionTimestamp).
    await until(async () => {
      const low = await pods.find('low');
      return !low || !!low.metadata.deletionTimestamp;
    });
    expect((await pods.get('other')).spec?.nodeName).toBeUndefined();
    void clock;
  });

  it('runs user plugins and rejects a duplicate plugin name', async () => {
    const noB: FilterPlugin = { name: 'NotB', filter: (_p, ni) => (ni.name === 'b' ? unresolvable('node is b') : success()) };
    const { scheduler, pods, create, until } = await setup([makeNode('b').obj(), makeNode('c').obj()], { plugins: { filter: [noB] } });
    await create(makePod('x').obj());
    await until(async () => !!(await pods.get('x')).spec?.nodeName);
    expect((await pods.get('x')).spec!.nodeName).toBe('c');
    expect(() => scheduler.registry.register({ name: 'NotB', filter: () => success() } as FilterPlugin)).toThrow(TugboatError);
  });
});
