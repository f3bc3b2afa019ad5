/**
 * Property: whatever sequence of scales, image updates, crashes, hand deletions and clock moves
 * a Deployment goes through, once left alone it converges to exactly spec.replicas ready pods of
 * the current template, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../../../src/model/types.js';
import {
  deployment,
  imageOf,
  isReady,
  isTerminatingOrDone,
  podsWith,
  replicaSetsOf,
  setImage,
  startMockCluster,
  untilConverged,
} from '../../support/mock-cluster.js';
import { PodWatch } from './pod-watch.js';

type Action =
  | { kind: 'scale'; replicas: number }
  | { kind: 'image'; image: string }
  | { kind: 'crash'; index: number }
  | { kind: 'delete'; index: number }
  | { kind: 'advance'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('image' as const), image: fc.constantFrom('web:1', 'web:2', 'web:3') }),
  fc.record({ kind: fc.constant('crash' as const), index: fc.nat(10) }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat(10) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
);

const strategy = fc.oneof(
  fc.constant({ type: 'Recreate' as const }),
  fc.record({
    type: fc.constant('RollingUpdate' as const),
    rollingUpdate: fc.record({ maxSurge: fc.constantFrom(0, 1, 2, '25%'), maxUnavailable: fc.constantFrom(1, 2, '50%') }),
  }),
);

describe('Deployment convergence (property)', () => {
  it('converges to spec.replicas ready pods of the current template after any action sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        strategy,
        fc.array(action, { minLength: 1, maxLength: 8 }),
        async (initial, strat, actions) => {
          const m = await startMockCluster({ nodes: 3 });
          try {
            const { cluster, runtime } = m;
            for (const img of ['web:1', 'web:2', 'web:3']) runtime.image(img, { readyAfterMs: 1500, startupMs: 200, stopMs: 1000 });
            await cluster.apply(deployment('web', { replicas: initial, strategy: strat }));
            let replicas = initial;
            let image = 'web:1';
            const live = async (): Promise<Pod[]> =>
              (await podsWith(cluster, 'default', { app: 'web' })).filter((p) => !isTerminatingOrDone(p));
            for (const a of actions) {
              if (a.kind === 'scale') {
                replicas = a.replicas;
                await cluster.scale('default', 'Deployment', 'web', replicas);
              } else if (a.kind === 'image') {
                image = a.image;
                await setImage(cluster, 'default', 'web', image);
              } else if (a.kind === 'crash' || a.kind === 'delete') {
                const pods = await live();
                const pod = pods[a.index % Math.max(1, pods.length)];
                if (!pod) continue;
                if (a.kind === 'crash') {
                  // A pod whose container is not running (yet, or in back-off) has nothing to crash.
                  const running = pod.status?.containerStatuses?.some((c) => c.state?.running);
                  if (running) {
                    try {
                      runtime.crash({ namespace: 'default', pod: pod.metadata.name! });
                    } catch (err) {
                      // The status may lag the runtime: the container already exited.
                      if ((err as { reason?: string }).reason !== 'BadRequest') throw err;
                    }
                  }
                } else
                  await cluster
                    .pods('default')
                    .delete(pod.metadata.name!)
                    .catch(() => undefined);
              } else {
                await m!.advance(a.ms, { stepMs: 1000 });
              }
            }
            await untilConverged(m, 'default', 'web', image, replicas, { maxMs: 900_000 });
            // Stays converged: nothing more is created or deleted once settled.
            await m!.advance(20_000, { stepMs: 2000 });
            const pods = await podsWith(cluster, 'default', { app: 'web' });
            expect(pods).toHaveLength(replicas);
            expect(pods.every((p) => isReady(p) && imageOf(p) === image && !p.metadata.deletionTimestamp)).toBe(true);
            const sets = await replicaSetsOf(cluster, 'default', 'web');
            const current = sets.filter((rs) => rs.spec?.template?.spec?.containers[0]?.image === image);
            expect(current).toHaveLength(1);
            expect(current[0].spec?.replicas).toBe(replicas);
            const hash = current[0].metadata.labels?.['pod-template-hash'];
            expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);
            expect(sets.filter((rs) => rs !== current[0]).every((rs) => rs.spec?.replicas === 0)).toBe(true);
            const d = await cluster.deployments('default').get('web');
            expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
          } finally {
            await m.stop();
          }
        },
      ),
      { numRuns: Number(process.env.WORKLOAD_PROPERTY_RUNS ?? 15) },
    );
  }, 60_000);
});

describe('RollingUpdate bounds under rapid image changes (property)', () => {
  it('never more than replicas + maxSurge live pods nor fewer than replicas - maxUnavailable ready pods, at every watch event', async () => {
    const resolve = (v: number | string, n: number, up: boolean) =>
      typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) * n) / 100);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc
          .record({ maxSurge: fc.constantFrom(0, 1, 3, '25%', '50%'), maxUnavailable: fc.constantFrom(0, 1, 2, '25%') })
          .filter((s) => s.maxSurge !== 0 || s.maxUnavailable !== 0),
        fc.array(fc.record({ image: fc.constantFrom('web:1', 'web:2', 'web:3'), afterMs: fc.integer({ min: 0, max: 6000 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (replicas, rollingUpdate, updates) => {
          const m = await startMockCluster({ nodes: 3 });
          let watch: PodWatch | undefined;
          try {
            const { cluster, clock, runtime } = m;
            for (const img of ['web:1', 'web:2', 'web:3']) runtime.image(img, { readyAfterMs: 2000, startupMs: 300, stopMs: 1500 });
            await cluster.apply(deployment('web', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate } }));
            await untilConverged(m, 'default', 'web', 'web:1', replicas);
            const surge = resolve(rollingUpdate.maxSurge, replicas, true);
            let unavailable = resolve(rollingUpdate.maxUnavailable, replicas, false);
            if (surge === 0 && unavailable === 0) unavailable = 1; // Kubernetes' rule when both resolve to 0
            watch = new PodWatch(cluster, (pods) => {
              const live = pods.filter((p) => !isTerminatingOrDone(p));
              const ready = live.filter(isReady).length;
              const out: string[] = [];
              if (live.length > replicas + surge) out.push(`${live.length} live pods > ${replicas + surge}`);
              if (ready < replicas - unavailable) out.push(`${ready} ready pods < ${replicas - unavailable}`);
              return out;
            });
            await watch.ready;
            const onStep = async () => watch!.record(`step +${clock.nowMs()}`, await podsWith(cluster, 'default', { app: 'web' }));
            let image = 'web:1';
            for (const u of updates) {
              image = u.image;
              await setImage(cluster, 'default', 'web', image);
              await m!.advance(u.afterMs, { stepMs: 500, onStep: onStep });
            }
            await untilConverged(m, 'default', 'web', image, replicas, { onStep, maxMs: 300_000 });
            expect(watch.violations).toEqual([]);
          } finally {
            await watch?.stop();
            await m.stop();
          }
        },
      ),
      { numRuns: Number(process.env.WORKLOAD_PROPERTY_RUNS ?? 15) },
    );
  }, 60_000);
});
