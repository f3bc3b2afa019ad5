import { describe, expect, it } from 'vitest';
import { taintTolerationPlugin, tolerates } from '../../../../src/scheduler/plugins/taint-toleration.js';
import { nodeUnschedulablePlugin } from '../../../../src/scheduler/plugins/node-unschedulable.js';
import { nodeNamePlugin } from '../../../../src/scheduler/plugins/node-name.js';
import { buildNodeInfo } from '../../../../src/scheduler/node-info-cache.js';
import { CycleState, type NodeScore } from '../../../../src/scheduler/types.js';
import { makeNode, makePod } from '../../../../src/testing.js';

const tt = taintTolerationPlugin();

describe('TaintToleration', () => {
  const cases = [
    { name: 'no taints', node: makeNode('n').obj(), pod: makePod('p').obj(), code: 'Success', reasons: [] as string[] },
    {
      name: 'untolerated NoSchedule',
      node: makeNode('n').taint('dedicated', 'gpu').obj(),
      pod: makePod('p').obj(),
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
    {
      name: 'untolerated NoExecute without value',
      node: makeNode('n').taint('k', undefined, 'NoExecute').obj(),
      pod: makePod('p').obj(),
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {k: }'],
    },
    {
      name: 'PreferNoSchedule does not filter',
      node: makeNode('n').taint('k', 'v', 'PreferNoSchedule').obj(),
      pod: makePod('p').obj(),
      code: 'Success',
      reasons: [],
    },
    {
      name: 'tolerated Equal',
      node: makeNode('n').taint('dedicated', 'gpu').obj(),
      pod: makePod('p').toleration({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
      code: 'Success',
      reasons: [],
    },
    {
      name: 'tolerated Exists no key',
      node: makeNode('n').taint('dedicated', 'gpu').obj(),
      pod: makePod('p').toleration({ operator: 'Exists' }).obj(),
      code: 'Success',
      reasons: [],
    },
    {
      name: 'wrong value',
      node: makeNode('n').taint('dedicated', 'gpu').obj(),
      pod: makePod('p').toleration({ key: 'dedicated', value: 'cpu' }).obj(),
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
    {
      name: 'wrong effect',
      node: makeNode('n').taint('dedicated', 'gpu').obj(),
      pod: makePod('p').toleration({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }).obj(),
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = tt.filter(c.pod, buildNodeInfo(c.node), new CycleState());
      expect(s.code).toBe(c.code);
      expect(s.reasons).toEqual(c.reasons);
    });
  }

  it('tolerates: empty key with Equal matches nothing', () => {
    expect(tolerates({ operator: 'Equal', value: '' }, { key: 'a', effect: 'NoSchedule' })).toBe(false);
  });

  it('scores fewer intolerable PreferNoSchedule taints higher', () => {
    const pod = makePod('p').obj();
    const nodes = [
      makeNode('a').obj(),
      makeNode('b').taint('x', '1', 'PreferNoSchedule').obj(),
      makeNode('c').taint('x', '1', 'PreferNoSchedule').taint('y', '2', 'PreferNoSchedule').obj(),
    ];
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata.name!, score: tt.score(pod, buildNodeInfo(n), new CycleState()) }));
    tt.normalize!(scores, pod, new CycleState());
    expect(scores.map((s) => s.score)).toEqual([100, 50, 0]);
  });
});

describe('NodeUnschedulable and NodeName', () => {
  it('rejects cordoned nodes unless tolerated', () => {
    const node = buildNodeInfo(makeNode('n').unschedulable().obj());
    const p = nodeUnschedulablePlugin();
    expect(p.filter(makePod('p').obj(), node, new CycleState())).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) were unschedulable'],
    });
    const tolerant = makePod('q').toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj();
    expect(p.filter(tolerant, node, new CycleState()).code).toBe('Success');
    expect(p.filter(makePod('p').obj(), buildNodeInfo(makeNode('m').obj()), new CycleState()).code).toBe('Success');
  });

  it('NodeName matches only the named node', () => {
    const p = nodeNamePlugin();
    const pod = makePod('p').node('a').obj();
    expect(p.filter(pod, buildNodeInfo(makeNode('a').obj()), new CycleState()).code).toBe('Success');
    expect(p.filter(pod, buildNodeInfo(makeNode('b').obj()), new CycleState())).toMatchObject({ code: 'UnschedulableAndUnresolvable' });
  });
});
