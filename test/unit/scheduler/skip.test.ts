import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import { buildSnapshot } from '../../../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../../../src/scheduler/registry.js';
import { prioritize, runFilters, runPreFilter, scheduleOne } from '../../../src/scheduler/schedule-one.js';
import { skip, success, unschedulable } from '../../../src/scheduler/status.js';
import { CycleState, type AnyPlugin } from '../../../src/scheduler/types.js';
import { makeNode, makePod } from '../../../src/testing.js';

const withHostPort = (pod: Pod, hostPort: number): Pod => ({
  ...pod,
  spec: { ...pod.spec!, containers: pod.spec!.containers.map((c) => ({ ...c, ports: [{ containerPort: 80, hostPort }] })) },
});

const nodes = () => ['n1', 'n2', 'n3'].map((n) => makeNode(n).obj());

/** A plugin whose Filter rejects every node and whose Score prefers n3, unless its PreFilter / PreScore skip. */
function gate(skipFilter: boolean, skipScore: boolean): AnyPlugin & { filtered: number; scored: number } {
  const p = {
    name: 'Gate',
    filtered: 0,
    scored: 0,
    preFilter: () => (skipFilter ? skip() : success()),
    filter: () => {
      p.filtered++;
      return unschedulable('gate closed');
    },
    preScore: () => (skipScore ? skip() : undefined),
    score: (_pod: Pod, ni: { name: string }) => {
      p.scored++;
      return ni.name === 'n3' ? 100 : 0;
    },
    weight: 50,
  };
  return p;
}

describe('Skip from PreFilter and PreScore (kube-scheduler SkipFilterPlugins / SkipScorePlugins)', () => {
  it('a plugin whose PreFilter returns Skip has its Filter left out of the cycle', () => {
    const closed = gate(false, false);
    expect(scheduleOne(defaultRegistry([closed]), makePod('p').obj(), buildSnapshot(nodes())).ok).toBe(false);
    expect(closed.filtered).toBe(3);
    const skipped = gate(true, false);
    const out = scheduleOne(defaultRegistry([skipped]), makePod('p').obj(), buildSnapshot(nodes()));
    expect(out.ok).toBe(true);
    expect(skipped.filtered).toBe(0);
    expect(out.state.skipFilterPlugins.has('Gate')).toBe(true);
  });

  it('runFilters honours the skips recorded by runPreFilter, and a clone of the state keeps them', () => {
    const skipped = gate(true, false);
    const registry = defaultRegistry([skipped]);
    const state = new CycleState();
    const snapshot = buildSnapshot(nodes());
    expect(runPreFilter(registry, makePod('p').obj(), state, snapshot)).toBeUndefined();
    expect(runFilters(registry, makePod('p').obj(), snapshot.nodeInfo('n1')!, state)).toBeUndefined();
    expect(runFilters(registry, makePod('p').obj(), snapshot.nodeInfo('n1')!, state.clone())).toBeUndefined();
    // A fresh state (no PreFilter run) runs every Filter.
    expect(runFilters(registry, makePod('p').obj(), snapshot.nodeInfo('n1')!, new CycleState())?.reasons).toEqual(['gate closed']);
  });

  it('a plugin whose PreScore returns Skip is not scored', () => {
    const pod = makePod('p').obj();
    const snapshot = buildSnapshot(nodes());
    const scoring = gate(true, false);
    const feasible = snapshot.nodeInfos();
    const withScore = prioritize(defaultRegistry([scoring]), pod, new CycleState(), feasible, snapshot);
    expect(scoring.scored).toBe(3);
    const skipped = gate(true, true);
    const without = prioritize(defaultRegistry([skipped]), pod, new CycleState(), feasible, snapshot);
    expect(skipped.scored).toBe(0);
    // The gate's weighted 100 is on n3 only when it is scored.
    expect(withScore.find((s) => s.name === 'n3')!.score - without.find((s) => s.name === 'n3')!.score).toBe(5000);
    expect(withScore.find((s) => s.name === 'n1')!.score).toBe(without.find((s) => s.name === 'n1')!.score);
  });

  it('the built-in plugins skip a plain pod and not a pod that asks for something', () => {
    const snapshot = buildSnapshot(nodes());
    const plain = new CycleState();
    runPreFilter(defaultRegistry(), makePod('p').obj(), plain, snapshot);
    expect([...plain.skipFilterPlugins].sort()).toEqual(['InterPodAffinity', 'NodeAffinity', 'NodePorts', 'PodTopologySpread']);
    const asking = new CycleState();
    const pod = withHostPort(
      makePod('q')
        .label('app', 'q')
        .nodeSelector({ disk: 'ssd' })
        .spread(1, 'zone', { app: 'q' })
        .podAffinity('zone', { app: 'q' }, 'anti')
        .obj(),
      8080,
    );
    runPreFilter(defaultRegistry(), pod, asking, snapshot);
    expect([...asking.skipFilterPlugins]).toEqual([]);
  });

  it('a nodeSelector still filters, and host ports still conflict, with the PreFilter state', () => {
    const snapshot = buildSnapshot(
      [makeNode('n1').obj(), makeNode('n2').label('disk', 'ssd').obj(), makeNode('n3').label('disk', 'ssd').obj()],
      [withHostPort(makePod('holder').node('n3').obj(), 8080)],
    );
    const out = scheduleOne(defaultRegistry(), withHostPort(makePod('p').nodeSelector({ disk: 'ssd' }).obj(), 8080), snapshot);
    expect(out.ok && out.nodeName).toBe('n2');
  });
});
