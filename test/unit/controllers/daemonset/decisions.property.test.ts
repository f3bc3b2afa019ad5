/**
 * Properties of the DaemonSet controller's pure decisions: node fit, the core loop's plan, the
 * rolling update's bounds (maxUnavailable without surge, maxSurge with it), the daemon
 * tolerations and history cleanup.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ControllerRevision, DaemonSet, Node, Pod, core } from '../../../../src/model/types.js';
import { nodeShouldRunDaemonPod } from '../../../../src/controllers/daemonset/node-fit.js';
import { planManage } from '../../../../src/controllers/daemonset/manage.js';
import { planRollingUpdate, updateBudget } from '../../../../src/controllers/daemonset/rolling.js';
import { podForNode, targetNodeName } from '../../../../src/controllers/daemonset/daemon-pod.js';
import { podsByNode } from '../../../../src/controllers/daemonset/node-pods.js';
import { addOrUpdateToleration, daemonTolerations, withDaemonTolerations } from '../../../../src/controllers/daemonset/tolerations.js';
import { revisionsToCleanUp } from '../../../../src/controllers/daemonset/revisions.js';
import { isPodAvailable } from '../../../../src/controllers/util/pods.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const T0 = '2026-01-01T00:00:00Z';

const taintArb: fc.Arbitrary<core.Taint> = fc.record({
  key: fc.constantFrom(
    'dedicated',
    'node.kubernetes.io/not-ready',
    'node.kubernetes.io/unschedulable',
    'node.kubernetes.io/disk-pressure',
    'gpu',
  ),
  value: fc.constantFrom('', 'a'),
  effect: fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule'),
});
const nodeArb = (i: number): fc.Arbitrary<Node> =>
  fc.record({ ssd: fc.boolean(), taints: fc.array(taintArb, { maxLength: 2 }) }).map(({ ssd, taints }) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `n${i}`, labels: (ssd ? { disk: 'ssd' } : {}) as Record<string, string> },
    spec: { taints },
  }));
const nodesArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => nodeArb(i))));

function ds(
  f: {
    selector?: boolean;
    tolerateDedicated?: boolean;
    maxUnavailable?: number | string;
    maxSurge?: number | string;
    minReadySeconds?: number;
  } = {},
): DaemonSet {
  const tolerations: core.Toleration[] = f.tolerateDedicated ? [{ key: 'dedicated', operator: 'Exists' }] : [];
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'd', namespace: 'default', uid: 'u1', annotations: { 'deprecated.daemonset.template.generation': '2' } },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      minReadySeconds: f.minReadySeconds ?? 0,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: f.maxUnavailable ?? 1, maxSurge: f.maxSurge ?? 0 } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: { containers: [{ name: 'c', image: 'i' }], tolerations, ...(f.selector ? { nodeSelector: { disk: 'ssd' } } : {}) },
      },
    },
  };
}
const dsArb = fc.record({ selector: fc.boolean(), tolerateDedicated: fc.boolean() }).map((f) => ds(f));

let seq = 0;
function pod(
  set: DaemonSet,
  node: string,
  hash: string,
  o: { ready?: boolean; phase?: string; terminating?: boolean; created?: string } = {},
): Pod {
  const p = podForNode(set, node, hash);
  return {
    ...p,
    metadata: { ...p.metadata, name: `p${seq++}`, creationTimestamp: o.created ?? T0, ...(o.terminating ? { deletionTimestamp: T0 } : {}) },
    spec: { ...p.spec!, nodeName: node },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: T0 }],
    },
  };
}

describe('nodeShouldRunDaemonPod', () => {
  it('shouldRun implies shouldContinueRunning; daemon-tolerated taints never stop a pod', () => {
    fc.assert(
      fc.property(nodesArb, dsArb, (nodes, set) => {
        for (const n of nodes) {
          const fit = nodeShouldRunDaemonPod(n, set);
          if (fit.shouldRun) expect(fit.shouldContinueRunning).toBe(true);
          const onlyDaemonTaints = (n.spec?.taints ?? []).every(
            (t) => t.effect === 'PreferNoSchedule' || daemonTolerations(false).some((d) => d.key === t.key && d.effect === t.effect),
          );
          const selectorOk = !set.spec?.template?.spec?.nodeSelector || n.metadata.labels?.disk === 'ssd';
          if (onlyDaemonTaints && selectorOk) expect(fit.shouldRun).toBe(true);
          if (!selectorOk) expect(fit).toEqual({ shouldRun: false, shouldContinueRunning: false });
          const untoleratedNoExecute = (n.spec?.taints ?? []).some(
            (t) =>
              t.effect === 'NoExecute' &&
              t.key !== 'node.kubernetes.io/not-ready' &&
              !(t.key === 'dedicated' && set.spec?.template?.spec?.tolerations?.length),
          );
          if (untoleratedNoExecute) expect(fit.shouldContinueRunning).toBe(false);
        }
      }),
    );
  });
});

describe('planManage', () => {
  it('creates exactly one pod on each node that should run one, and then nothing more', () => {
    fc.assert(
      fc.property(nodesArb, dsArb, (nodes, set) => {
        const plan = planManage({ ds: set, nodes, podsByNode: new Map(), hash: 'h', allowsSurge: false, nowMs: NOW, backoffMs: () => 0 });
        const expected = nodes.filter((n) => nodeShouldRunDaemonPod(n, set).shouldRun).map((n) => n.metadata.name);
        expect(plan.createOn).toEqual(expected);
        expect(plan.delete).toEqual([]);
        const pods = plan.createOn.map((n) => pod(set, n, 'h'));
        for (const p of pods) expect(targetNodeName({ ...p, spec: { ...p.spec!, nodeName: undefined } })).toBe(p.spec?.nodeName);
        const again = planManage({
          ds: set,
          nodes,
          podsByNode: podsByNode(pods),
          hash: 'h',
          allowsSurge: false,
          nowMs: NOW,
          backoffMs: () => 0,
        });
        expect(again.createOn).toEqual([]);
        expect(again.delete).toEqual([]);
      }),
    );
  });

  it('leaves at most one live pod per node (without surge), none where the node must not run one, and holds failed pods in back-off', () => {
    fc.assert(
      fc.property(
        nodesArb,
        dsArb,
        fc.array(
          fc.record({
            node: fc.integer({ min: 0, max: 9 }),
            phase: fc.constantFrom('Running', 'Failed', 'Succeeded'),
            terminating: fc.boolean(),
          }),
          { maxLength: 12 },
        ),
        fc.boolean(),
        (nodes, set, specs, inBackoff) => {
          const pods = specs.map((s) =>
            pod(set, `n${s.node}`, 'h', {
              phase: s.phase,
              terminating: s.terminating,
              created: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`,
            }),
          );
          const plan = planManage({
            ds: set,
            nodes,
            podsByNode: podsByNode(pods),
            hash: 'h',
            allowsSurge: false,
            nowMs: NOW,
            backoffMs: () => (inBackoff ? 5000 : 0),
          });
          const deleted = new Set(plan.delete.map((p) => p.metadata.name));
          for (const p of plan.delete) expect(p.metadata.deletionTimestamp).toBeUndefined();
          for (const n of nodes) {
            const name = n.metadata.name;
            const fit = nodeShouldRunDaemonPod(n, set);
            const left = pods.filter((p) => p.spec?.nodeName === name && !p.metadata.deletionTimestamp && !deleted.has(p.metadata.name));
            const running = left.filter((p) => p.status?.phase === 'Running');
            if (!fit.shouldContinueRunning) expect(left).toEqual([]);
            else expect(running.length).toBeLessThanOrEqual(1);
            if (inBackoff && fit.shouldContinueRunning)
              expect(plan.delete.filter((p) => p.spec?.nodeName === name && p.status?.phase === 'Failed')).toEqual([]);
            if (!inBackoff && fit.shouldContinueRunning)
              expect(left.filter((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')).toEqual([]);
          }
          if (
            inBackoff &&
            pods.some(
              (p) =>
                p.status?.phase === 'Failed' &&
                !p.metadata.deletionTimestamp &&
                nodes.some((n) => n.metadata.name === p.spec?.nodeName && nodeShouldRunDaemonPod(n, set).shouldContinueRunning),
            )
          ) {
            expect(plan.requeueAfterMs).toBe(5000);
          }
        },
      ),
    );
  });
});

/** One node's state in a rollout: no pod, an old pod, a new pod or both, each available or not. */
const nodeStateArb = fc.record({
  old: fc.constantFrom('none', 'available', 'unavailable'),
  neu: fc.constantFrom('none', 'available', 'unavailable'),
});
const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('0%', '25%', '50%', '100%'));

function rolloutWorld(states: { old: string; neu: string }[], set: DaemonSet) {
  const nodes: Node[] = states.map((_, i) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}` }, spec: {} }));
  const pods: Pod[] = [];
  states.forEach((s, i) => {
    if (s.old !== 'none') pods.push(pod(set, `n${i}`, 'old', { ready: s.old === 'available' }));
    if (s.neu !== 'none') pods.push(pod(set, `n${i}`, 'new', { ready: s.neu === 'available' }));
  });
  return { nodes, pods };
}

describe('planRollingUpdate', () => {
  it('without surge: deletes available old pods only while fewer than maxUnavailable nodes are unavailable', () => {
    fc.assert(
      fc.property(fc.array(nodeStateArb, { maxLength: 10 }), intOrPercent, (states, mu) => {
        const set = ds({ maxUnavailable: mu, maxSurge: 0 });
        set.metadata.annotations = {};
        const { nodes, pods } = rolloutWorld(states, set);
        const plan = planRollingUpdate({ ds: set, nodes, podsByNode: podsByNode(pods), hash: 'new', nowMs: NOW });
        expect(plan.createOn).toEqual([]);
        const budget = updateBudget(set, nodes);
        const unavailableBefore = states.filter(
          (s) => !((s.old === 'available' && s.neu === 'none') || (s.neu === 'available' && s.old === 'none')),
        ).length;
        const availableOldDeleted = plan.delete.filter(
          (p) => p.metadata.labels?.['controller-revision-hash'] === 'old' && isPodAvailable(p, 0, NOW),
        ).length;
        expect(unavailableBefore + availableOldDeleted).toBeLessThanOrEqual(Math.max(budget.maxUnavailable, unavailableBefore));
        for (const p of plan.delete) expect(p.metadata.labels?.['controller-revision-hash']).toBe('old');
        // Progress: when nothing is unavailable and old pods remain, something is deleted.
        if (unavailableBefore === 0 && states.some((s) => s.old === 'available')) expect(availableOldDeleted).toBeGreaterThan(0);
      }),
    );
  });

  it('with surge: at most maxSurge new pods beside available old ones, and an old pod goes only when its new one is available or it is unavailable', () => {
    fc.assert(
      fc.property(
        fc.array(nodeStateArb, { maxLength: 10 }),
        fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('25%', '50%', '100%')),
        (states, ms) => {
          const set = ds({ maxUnavailable: 0, maxSurge: ms });
          set.metadata.annotations = {};
          const { nodes, pods } = rolloutWorld(states, set);
          const plan = planRollingUpdate({ ds: set, nodes, podsByNode: podsByNode(pods), hash: 'new', nowMs: NOW });
          const budget = updateBudget(set, nodes);
          const surging = states.filter((s) => s.old !== 'none' && s.neu === 'unavailable').length;
          const createdBesideAvailable = plan.createOn.filter((n) => states[Number(n.slice(1))].old === 'available').length;
          expect(surging + createdBesideAvailable).toBeLessThanOrEqual(Math.max(budget.maxSurge, surging));
          for (const n of plan.createOn) expect(states[Number(n.slice(1))]).toMatchObject({ neu: 'none' });
          for (const p of plan.delete) {
            const s = states[Number((p.spec?.nodeName ?? '').slice(1))];
            expect(p.metadata.labels?.['controller-revision-hash']).toBe('old');
            expect(s.neu === 'available' || s.old === 'unavailable').toBe(true);
          }
        },
      ),
    );
  });
});

describe('daemon tolerations', () => {
  it('adding them twice changes nothing, and a matching toleration with tolerationSeconds becomes unlimited', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.constantFrom('node.kubernetes.io/not-ready', 'x'),
            operator: fc.constantFrom('Exists' as const),
            effect: fc.constantFrom('NoExecute', 'NoSchedule'),
            tolerationSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
          }),
          { maxLength: 3 },
        ),
        fc.boolean(),
        (tols, hostNetwork) => {
          const once = withDaemonTolerations({ containers: [], tolerations: tols, hostNetwork });
          const twice = withDaemonTolerations({ containers: [], tolerations: once, hostNetwork });
          expect(twice).toEqual(once);
          for (const d of daemonTolerations(hostNetwork)) expect(once).toContainEqual(d);
          // As AddOrUpdateTolerationInPodSpec: an identical toleration present leaves the list as it is.
          const exact = tols.some(
            (t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute' && t.tolerationSeconds === undefined,
          );
          if (!exact)
            expect(
              once.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute' && t.tolerationSeconds !== undefined),
            ).toBe(false);
          expect(hostNetwork).toBe(once.some((t) => t.key === 'node.kubernetes.io/network-unavailable'));
        },
      ),
    );
    const t = { key: 'k', operator: 'Exists' as const, effect: 'NoSchedule' as const };
    const list = [t];
    expect(addOrUpdateToleration(list, t)).toBe(list);
  });
});

describe('revisionsToCleanUp', () => {
  it('keeps revisionHistoryLimit old revisions and every revision a pod still uses, deleting lowest first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }),
        (count, limit, liveRevs) => {
          const set = ds();
          set.spec!.revisionHistoryLimit = limit;
          const old: ControllerRevision[] = Array.from({ length: count }, (_, i) => ({
            apiVersion: 'apps/v1',
            kind: 'ControllerRevision',
            metadata: { name: `r${i + 1}`, labels: { 'controller-revision-hash': `h${i + 1}` } },
            revision: i + 1,
          }));
          const pods = liveRevs.map((r) => pod(set, 'n0', `h${r}`));
          const gone = revisionsToCleanUp(set, old, pods);
          const liveHashes = new Set(liveRevs.map((r) => `h${r}`));
          for (const cr of gone) expect(liveHashes.has(cr.metadata.labels!['controller-revision-hash'])).toBe(false);
          const kept = old.length - gone.length;
          expect(kept).toBeGreaterThanOrEqual(Math.min(limit, old.length));
          const deletable = old.filter((cr) => !liveHashes.has(cr.metadata.labels!['controller-revision-hash']));
          expect(gone).toEqual(deletable.slice(0, Math.max(0, Math.min(deletable.length, old.length - limit))));
        },
      ),
    );
  });
});
