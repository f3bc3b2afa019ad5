import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../../../src/scheduler/registry.js';
import { scheduleOne } from '../../../src/scheduler/schedule-one.js';
import { NominatedPods } from '../../../src/scheduler/nominated-pods.js';
import { podInfoOf } from '../../../src/scheduler/pod-info.js';
import { makeNode, makePod } from '../../../src/testing.js';

describe('nominated pods hold the room a preemption made', () => {
  const node = makeNode('n1').capacity({ cpu: '2' }).obj();
  const snapshot = buildSnapshot([node], [makePod('running').req({ cpu: '1' }).node('n1').obj()]);
  const preemptor = makePod('preemptor').req({ cpu: '1' }).priority(1000).obj();

  it('a lower-priority pod does not take a node where a nominated pod needs the room', () => {
    const nominated = new NominatedPods();
    nominated.set(podInfoOf(preemptor), 'n1');
    const low = makePod('low').req({ cpu: '1' }).priority(10).obj();
    const out = scheduleOne(defaultRegistry(), low, snapshot, { nominated });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('the nominated pod itself, and pods of higher priority, still fit', () => {
    const nominated = new NominatedPods();
    nominated.set(podInfoOf(preemptor), 'n1');
    expect(scheduleOne(defaultRegistry(), preemptor, snapshot, { nominated }).ok).toBe(true);
    const higher = makePod('higher').req({ cpu: '1' }).priority(5000).obj();
    expect(scheduleOne(defaultRegistry(), higher, snapshot, { nominated }).ok).toBe(true);
  });

  it('forgets a nomination', () => {
    const nominated = new NominatedPods();
    const info = podInfoOf(preemptor);
    nominated.set(info, 'n1');
    nominated.set(info, 'n2');
    expect(nominated.holding('n1', 'x', 0)).toEqual([]);
    expect(nominated.holding('n2', 'x', 0)).toHaveLength(1);
    nominated.delete(info.key);
    expect(nominated.size).toBe(0);
    const low = makePod('low').req({ cpu: '1' }).priority(10).obj();
    expect(scheduleOne(defaultRegistry(), low, snapshot, { nominated }).ok).toBe(true);
  });
});
