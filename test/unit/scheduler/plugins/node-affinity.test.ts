import { describe, expect, it } from 'vitest';
import { nodeAffinityPlugin } from '../../../../src/scheduler/plugins/node-affinity.js';
import { buildNodeInfo } from '../../../../src/scheduler/node-info-cache.js';
import { CycleState, type NodeScore } from '../../../../src/scheduler/types.js';
import { makeNode, makePod } from '../../../../src/testing.js';

const plugin = nodeAffinityPlugin();
const node = makeNode('n1').label('zone', 'a').label('gen', '5').obj();
const ERR = "node(s) didn't match Pod's node affinity/selector";

describe('NodeAffinity filter', () => {
  const cases = [
    { name: 'no constraints', pod: makePod('p').obj(), ok: true },
    { name: 'nodeSelector match', pod: makePod('p').nodeSelector({ zone: 'a' }).obj(), ok: true },
    { name: 'nodeSelector mismatch', pod: makePod('p').nodeSelector({ zone: 'b' }).obj(), ok: false },
    {
      name: 'In',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }])
        .obj(),
      ok: true,
    },
    {
      name: 'NotIn',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }])
        .obj(),
      ok: false,
    },
    {
      name: 'NotIn missing key matches',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }] }])
        .obj(),
      ok: true,
    },
    {
      name: 'Exists',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }])
        .obj(),
      ok: true,
    },
    {
      name: 'DoesNotExist',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }])
        .obj(),
      ok: false,
    },
    {
      name: 'Gt',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }])
        .obj(),
      ok: true,
    },
    {
      name: 'Lt',
      pod: makePod('p')
        .nodeAffinity([{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['5'] }] }])
        .obj(),
      ok: false,
    },
    {
      name: 'terms are ORed',
      pod: makePod('p')
        .nodeAffinity([
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] },
          { matchExpressions: [{ key: 'gen', operator: 'Exists' }] },
        ])
        .obj(),
      ok: true,
    },
    { name: 'empty term matches nothing', pod: makePod('p').nodeAffinity([{}]).obj(), ok: false },
    {
      name: 'matchFields metadata.name',
      pod: makePod('p')
        .nodeAffinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }])
        .obj(),
      ok: true,
    },
    {
      name: 'matchFields other name',
      pod: makePod('p')
        .nodeAffinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }])
        .obj(),
      ok: false,
    },
    {
      name: 'selector and affinity both apply',
      pod: makePod('p')
        .nodeSelector({ zone: 'b' })
        .nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }])
        .obj(),
      ok: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = plugin.filter(c.pod, buildNodeInfo(node), new CycleState());
      expect(s.code).toBe(c.ok ? 'Success' : 'UnschedulableAndUnresolvable');
      expect(s.reasons).toEqual(c.ok ? [] : [ERR]);
    });
  }
});

describe('NodeAffinity score', () => {
  it('sums preferred weights and normalizes to 100', () => {
    const pod = makePod('p')
      .preferredNodeAffinity(10, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] })
      .preferredNodeAffinity(30, { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] })
      .obj();
    const nodes = [
      makeNode('a').label('zone', 'a').obj(),
      makeNode('b').label('ssd', 'y').obj(),
      makeNode('c').label('zone', 'a').label('ssd', 'y').obj(),
      makeNode('d').obj(),
    ];
    const scores: NodeScore[] = nodes.map((n) => ({
      name: n.metadata.name!,
      score: plugin.score(pod, buildNodeInfo(n), new CycleState()),
    }));
    expect(scores.map((s) => s.score)).toEqual([10, 30, 40, 0]);
    plugin.normalize!(scores, pod, new CycleState());
    expect(scores.map((s) => s.score)).toEqual([25, 75, 100, 0]);
  });
});
