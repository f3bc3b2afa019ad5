import { describe, expect, it } from 'vitest';
import { nodeResourcesFitPlugin } from '../../../../src/scheduler/plugins/node-resources-fit.js';
import { buildNodeInfo } from '../../../../src/scheduler/node-info-cache.js';
import { podRequests } from '../../../../src/scheduler/resources.js';
import { CycleState } from '../../../../src/scheduler/types.js';
import { makeNode, makePod } from '../../../../src/testing.js';

const plugin = nodeResourcesFitPlugin();

describe('NodeResourcesFit', () => {
  const cases = [
    { name: 'fits', pod: makePod('p').req({ cpu: '1', memory: '1Gi' }).obj(), existing: [], code: 'Success', reasons: [] },
    {
      name: 'no requests always fits cpu',
      pod: makePod('p').obj(),
      existing: [makePod('e').req({ cpu: '4' }).obj()],
      code: 'Success',
      reasons: [],
    },
    {
      name: 'cpu short',
      pod: makePod('p').req({ cpu: '2' }).obj(),
      existing: [makePod('e').req({ cpu: '3' }).obj()],
      code: 'Unschedulable',
      reasons: ['Insufficient cpu'],
    },
    {
      name: 'cpu and memory short',
      pod: makePod('p').req({ cpu: '5', memory: '9Gi' }).obj(),
      existing: [],
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    },
    {
      name: 'too many pods',
      pod: makePod('p').obj(),
      existing: [makePod('e').obj()],
      pods: '1',
      code: 'Unschedulable',
      reasons: ['Too many pods'],
    },
    {
      name: 'extended resource',
      pod: makePod('p').req({ 'nvidia.com/gpu': '1' }).obj(),
      existing: [],
      code: 'Unschedulable',
      reasons: ['Insufficient nvidia.com/gpu'],
    },
    {
      name: 'init container max counts',
      pod: makePod('p').req({ cpu: '1' }).initReq({ cpu: '3500m' }).obj(),
      existing: [makePod('e').req({ cpu: '1' }).obj()],
      code: 'Unschedulable',
      reasons: ['Insufficient cpu'],
    },
    {
      name: 'init container under sum fits',
      pod: makePod('p').req({ cpu: '1' }).req({ cpu: '1' }).initReq({ cpu: '2' }).obj(),
      existing: [makePod('e').req({ cpu: '2' }).obj()],
      code: 'Success',
      reasons: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const node = makeNode('n1')
        .capacity({ cpu: '4', memory: '8Gi', pods: c.pods ?? '110' })
        .obj();
      const s = plugin.filter(c.pod, buildNodeInfo(node, c.existing), new CycleState());
      expect(s.code).toBe(c.code);
      expect(s.reasons).toEqual(c.reasons);
    });
  }

  it('computes requests as kube-scheduler: max(init) vs sum(app) + sidecars + overhead', () => {
    const p = makePod('p').req({ cpu: '500m', memory: '1Gi' }).initReq({ cpu: '100m' }, true).initReq({ cpu: '2' }).obj();
    p.spec!.overhead = { cpu: '50m' };
    const r = podRequests(p);
    // init step 2 runs with the sidecar: 2000 + 100; app phase: 500 + 100 sidecar; max = 2100, + 50 overhead
    expect(r.milliCpu).toBe(2150);
    expect(r.memory).toBe(1024 ** 3);
    expect(r.pods).toBe(1);
    expect(podRequests(makePod('q').obj(), true)).toMatchObject({ milliCpu: 100, memory: 200 * 1024 * 1024 });
  });
});
