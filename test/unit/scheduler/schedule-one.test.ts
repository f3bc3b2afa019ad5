import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../src/model/types.js';
import { buildSnapshot } from '../../../src/scheduler/node-info-cache.js';
import { defaultRegistry } from '../../../src/scheduler/registry.js';
import { fitErrorMessage, numFeasibleNodesToFind, scheduleOne, seededRandom, selectHost } from '../../../src/scheduler/schedule-one.js';
import { podInfoOf } from '../../../src/scheduler/pod-info.js';
import { unschedulable } from '../../../src/scheduler/status.js';
import { makeNode, makePod } from '../../../src/testing.js';

/** Schedules pods one after another, assuming each on its chosen node. */
function placeAll(nodes: Node[], pods: Pod[], existing: Pod[] = []): (string | undefined)[] {
  const registry = defaultRegistry();
  const snapshot = buildSnapshot(nodes, existing);
  const random = seededRandom(7);
  return pods.map((p) => {
    const out = scheduleOne(registry, p, snapshot, { random });
    if (!out.ok) return undefined;
    snapshot.assumePod(podInfoOf(p), out.nodeName);
    return out.nodeName;
  });
}

const zones = ['a', 'b', 'c'];

describe('scheduleOne on fixtures', () => {
  it('required anti-affinity spreads replicas one per node, the extra one fails', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => makeNode(n).obj());
    const pods = [1, 2, 3, 4].map((i) =>
      makePod(`web-${i}`).label('app', 'web').podAffinity('kubernetes.io/hostname', { app: 'web' }, 'anti').obj(),
    );
    const placed = placeAll(nodes, pods);
    expect(new Set(placed.slice(0, 3))).toEqual(new Set(['n1', 'n2', 'n3']));
    expect(placed[3]).toBeUndefined();
  });

  it('required affinity: the first of its group may go anywhere, the rest follow it', () => {
    const nodes = zones.map((z, i) => makeNode(`n${i}`).label('zone', z).obj());
    const pods = [1, 2, 3].map((i) => makePod(`db-${i}`).label('app', 'db').podAffinity('zone', { app: 'db' }).obj());
    const placed = placeAll(nodes, pods);
    expect(placed.every((n) => n !== undefined)).toBe(true);
    expect(new Set(placed).size).toBe(1);
  });

  it('affinity to pods that do not exist (and do not match itself) fails', () => {
    const registry = defaultRegistry();
    const snapshot = buildSnapshot([makeNode('n1').label('zone', 'a').obj()]);
    const out = scheduleOne(registry, makePod('p').label('app', 'x').podAffinity('zone', { app: 'cache' }).obj(), snapshot);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toBe("0/1 nodes are available: 1 node(s) didn't match pod affinity rules.");
  });

  it("existing pods' anti-affinity repels a matching incoming pod", () => {
    const nodes = [makeNode('n1').obj(), makeNode('n2').obj()];
    const existing = [makePod('guard').node('n1').podAffinity('kubernetes.io/hostname', { app: 'web' }, 'anti').obj()];
    expect(placeAll(nodes, [makePod('w').label('app', 'web').obj()], existing)).toEqual(['n2']);
  });

  it('topology spread with maxSkew 1 over zones places 6 pods 2/2/2', () => {
    const nodes = zones.flatMap((z) => [1, 2].map((i) => makeNode(`${z}${i}`).label('zone', z).obj()));
    const pods = [1, 2, 3, 4, 5, 6].map((i) => makePod(`s-${i}`).label('app', 's').spread(1, 'zone', { app: 's' }).obj());
    const placed = placeAll(nodes, pods);
    const perZone = new Map<string, number>();
    for (const n of placed) perZone.set(n![0], (perZone.get(n![0]) ?? 0) + 1);
    expect(Object.fromEntries(perZone)).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('ScheduleAnyway topology spread prefers the emptier zone', () => {
    const nodes = zones.map((z) => makeNode(`n-${z}`).label('zone', z).obj());
    const existing = [makePod('e1').label('app', 's').node('n-a').obj(), makePod('e2').label('app', 's').node('n-b').obj()];
    const placed = placeAll(nodes, [makePod('p').label('app', 's').spread(1, 'zone', { app: 's' }, 'ScheduleAnyway').obj()], existing);
    expect(placed).toEqual(['n-c']);
  });

  it('a gpu-tainted node is avoided', () => {
    const nodes = [makeNode('gpu').taint('dedicated', 'gpu').capacity({ cpu: '64' }).obj(), makeNode('small').capacity({ cpu: '1' }).obj()];
    const placed = placeAll(nodes, [makePod('p').req({ cpu: '500m' }).obj()]);
    expect(placed).toEqual(['small']);
  });

  it('least allocated spreads equal pods over equal nodes', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => makeNode(n).obj());
    const placed = placeAll(
      nodes,
      [1, 2, 3, 4, 5, 6].map((i) => makePod(`p${i}`).req({ cpu: '500m', memory: '512Mi' }).obj()),
    );
    const counts = new Map<string, number>();
    for (const n of placed) counts.set(n!, (counts.get(n!) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2]);
  });

  it("builds kube-scheduler's failure message for a 3-node case", () => {
    const registry = defaultRegistry();
    const nodes = [
      makeNode('n1').capacity({ cpu: '1' }).obj(),
      makeNode('n2').capacity({ cpu: '1' }).obj(),
      makeNode('gpu').taint('dedicated', 'gpu').obj(),
    ];
    const out = scheduleOne(registry, makePod('big').req({ cpu: '2' }).obj(), buildSnapshot(nodes));
    expect(out.ok).toBe(false);
    // kube-scheduler sorts the "<count> <reason>" strings as a whole (Go sort.Strings).
    if (!out.ok) expect(out.message).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.');
  });

  it('no nodes at all', () => {
    const out = scheduleOne(defaultRegistry(), makePod('p').obj(), buildSnapshot([]));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toBe('0/0 nodes are available:');
  });
});

describe('cycle helpers', () => {
  it('numFeasibleNodesToFind follows the adaptive rule', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(100)).toBe(100); // 49% of 100 = 49 -> at least 100
    expect(numFeasibleNodesToFind(1000)).toBe(420); // 50 - 8 = 42%
    expect(numFeasibleNodesToFind(5000)).toBe(500); // 50 - 40 = 10%
    expect(numFeasibleNodesToFind(6000)).toBe(300); // 50 - 48 = 2% -> 5%
    expect(numFeasibleNodesToFind(5000, 100)).toBe(5000);
    expect(numFeasibleNodesToFind(5000, 30)).toBe(1500);
  });

  it('fitErrorMessage counts reasons per node and sorts the entries', () => {
    const msg = fitErrorMessage(
      5,
      [unschedulable('Insufficient memory', 'Insufficient cpu'), unschedulable('Insufficient cpu'), unschedulable('Too many pods')],
      undefined,
      'preemption: x',
    );
    expect(msg).toBe('0/5 nodes are available: 1 Insufficient memory, 1 Too many pods, 2 Insufficient cpu. preemption: x');
  });

  it('selectHost picks the best score and breaks ties reproducibly', () => {
    expect(
      selectHost([
        { name: 'a', score: 1 },
        { name: 'b', score: 9 },
        { name: 'c', score: 3 },
      ]),
    ).toBe('b');
    const ties = [
      { name: 'a', score: 5 },
      { name: 'b', score: 5 },
      { name: 'c', score: 5 },
    ];
    const r1 = seededRandom(42);
    const r2 = seededRandom(42);
    const picks1 = Array.from({ length: 30 }, () => selectHost(ties, r1));
    const picks2 = Array.from({ length: 30 }, () => selectHost(ties, r2));
    expect(picks1).toEqual(picks2);
    expect(new Set(picks1).size).toBe(3);
  });

  it('stops filtering once enough nodes are feasible, starting at the rotating index', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => makeNode(`n${i}`).obj());
    const out = scheduleOne(defaultRegistry(), makePod('p').obj(), buildSnapshot(nodes), { startIndex: 450 });
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.processed).toBe(numFeasibleNodesToFind(500));
      expect(out.feasible).toBe(230);
    }
  });
});
