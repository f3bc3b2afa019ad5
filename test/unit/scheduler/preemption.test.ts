import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../../../src/scheduler/registry.js';
import { scheduleOne } from '../../../src/scheduler/schedule-one.js';
import { findPreemption } from '../../../src/scheduler/preemption.js';
import { NominatedPods } from '../../../src/scheduler/nominated-pods.js';
import { podInfoOf } from '../../../src/scheduler/pod-info.js';
import type { Node, Pod } from '../../../src/model/types.js';
import { makeNode, makePod } from '../../../src/testing.js';

function preempt(nodes: Node[], existing: Pod[], pod: Pod) {
  const registry = defaultRegistry();
  const snapshot = buildSnapshot(nodes, existing);
  const out = scheduleOne(registry, pod, snapshot);
  if (out.ok) throw new Error('expected the pod not to fit');
  return findPreemption(registry, pod, snapshot, out);
}

const names = (ps: Pod[] | undefined) => (ps ?? []).map((p) => p.metadata.name).sort();

describe('preemption', () => {
  it('evicts the lowest-priority pods that free enough room, fewest first', () => {
    const nodes = [makeNode('n1').capacity({ cpu: '4' }).obj(), makeNode('n2').capacity({ cpu: '4' }).obj()];
    const existing = [
      makePod('n1-high').req({ cpu: '2' }).priority(50).node('n1').obj(),
      makePod('n1-low').req({ cpu: '2' }).priority(1).node('n1').obj(),
      makePod('n2-a').req({ cpu: '2' }).priority(10).node('n2').obj(),
      makePod('n2-b').req({ cpu: '2' }).priority(10).node('n2').obj(),
    ];
    const out = preempt(nodes, existing, makePod('urgent').req({ cpu: '2' }).priority(100).obj());
    expect(out.result?.nodeName).toBe('n1');
    expect(names(out.result?.victims)).toEqual(['n1-low']);
  });

  it('reprieves pods that can stay', () => {
    const nodes = [makeNode('n1').capacity({ cpu: '4' }).obj()];
    const existing = [
      makePod('a').req({ cpu: '1' }).priority(5).node('n1').obj(),
      makePod('b').req({ cpu: '1' }).priority(3).node('n1').obj(),
      makePod('c').req({ cpu: '2' }).priority(1).node('n1').obj(),
    ];
    const out = preempt(nodes, existing, makePod('p').req({ cpu: '2' }).priority(10).obj());
    expect(names(out.result?.victims)).toEqual(['c']);
  });

  it('never evicts equal or higher priority pods', () => {
    const nodes = [makeNode('n1').capacity({ cpu: '2' }).obj()];
    const existing = [makePod('same').req({ cpu: '2' }).priority(10).node('n1').obj()];
    const out = preempt(nodes, existing, makePod('p').req({ cpu: '1' }).priority(10).obj());
    expect(out.result).toBeUndefined();
    expect(out.message).toBe('preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });

  it('does not preempt where it would not help (unresolvable filters)', () => {
    const nodes = [
      makeNode('tainted').taint('dedicated', 'gpu').capacity({ cpu: '1' }).obj(),
      makeNode('full').capacity({ cpu: '1' }).obj(),
    ];
    const existing = [
      makePod('low').req({ cpu: '1' }).priority(0).node('full').obj(),
      makePod('low2').req({ cpu: '1' }).priority(0).node('tainted').obj(),
    ];
    const out = preempt(nodes, existing, makePod('p').req({ cpu: '1' }).priority(5).obj());
    expect(out.result?.nodeName).toBe('full');
    expect(names(out.result?.victims)).toEqual(['low']);
  });

  it('respects preemptionPolicy Never', () => {
    const nodes = [makeNode('n1').capacity({ cpu: '1' }).obj()];
    const pod = makePod('p').req({ cpu: '1' }).priority(5).obj();
    pod.spec!.preemptionPolicy = 'Never';
    const out = preempt(nodes, [makePod('low').req({ cpu: '1' }).node('n1').obj()], pod);
    expect(out.result).toBeUndefined();
    expect(out.message).toContain('preemptionPolicy=Never');
  });

  it('evicting an anti-affinity blocker makes room', () => {
    const nodes = [makeNode('n1').obj()];
    const existing = [makePod('blocker').label('app', 'web').priority(0).node('n1').obj()];
    const pod = makePod('p').label('app', 'web').priority(10).podAffinity('kubernetes.io/hostname', { app: 'web' }, 'anti').obj();
    const out = preempt(nodes, existing, pod);
    expect(names(out.result?.victims)).toEqual(['blocker']);
  });

  it('prefers the node whose most important victim has the lowest priority', () => {
    const nodes = [makeNode('n1').capacity({ cpu: '1' }).obj(), makeNode('n2').capacity({ cpu: '1' }).obj()];
    const existing = [
      makePod('x').req({ cpu: '1' }).priority(7).node('n1').obj(),
      makePod('y').req({ cpu: '1' }).priority(3).node('n2').obj(),
    ];
    expect(preempt(nodes, existing, makePod('p').req({ cpu: '1' }).priority(10).obj()).result?.nodeName).toBe('n2');
  });
});

describe('preemption beside nominated pods', () => {
  it('a second preemptor leaves room for a pod nominated to the node: it takes other victims instead of counting the same ones', async () => {
    const nodes = [makeNode('n1').capacity({ cpu: '2' }).obj(), makeNode('n2').capacity({ cpu: '2' }).obj()];
    const existing = [
      makePod('a1').req({ cpu: '1' }).priority(10).node('n1').obj(),
      makePod('a2').req({ cpu: '1' }).priority(10).node('n1').obj(),
      makePod('b1').req({ cpu: '1' }).priority(10).node('n2').obj(),
      makePod('b2').req({ cpu: '1' }).priority(10).node('n2').obj(),
    ];
    const registry = defaultRegistry();
    const snapshot = buildSnapshot(nodes, existing);
    const first = makePod('first').req({ cpu: '1' }).priority(1000).obj();
    const second = makePod('second').req({ cpu: '1' }).priority(1000).obj();
    const out1 = scheduleOne(registry, first, snapshot);
    if (out1.ok) throw new Error('expected no fit');
    const pre1 = findPreemption(registry, first, snapshot, out1);
    const nominated = new NominatedPods();
    nominated.set(podInfoOf(first), pre1.result!.nodeName);
    const out2 = scheduleOne(registry, second, snapshot, { nominated });
    if (out2.ok) throw new Error('expected no fit');
    const pre2 = findPreemption(registry, second, snapshot, out2, undefined, [], nominated);
    // The first one's victim on its node is not room for the second: the second evicts one pod elsewhere.
    expect(pre2.result?.nodeName).not.toBe(pre1.result?.nodeName);
    expect(pre2.result?.victims).toHaveLength(1);
  });
});
