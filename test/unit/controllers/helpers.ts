/** Test helpers: a cluster with a controller manager on a FakeClock, and a stand-in kubelet. */
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { Cluster } from '../../../src/cluster/cluster.js';
import { ControllerManager } from '../../../src/controllers/runtime/controller-manager.js';
import type { Controller } from '../../../src/controllers/runtime/types.js';
import type { Pod } from '../../../src/model/types.js';

export interface Harness {
  clock: FakeClock;
  cluster: Cluster;
  /** The cluster's own controller manager, running exactly the controllers given. */
  manager: ControllerManager;
  /** Waits for the whole cluster to go quiet (`cluster.settled()`). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(controllers: Controller<any>[]): Promise<Harness> {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  // No built-in controller and no scheduler: these tests run exactly the controllers given, on the
  // cluster's own manager so that cluster.settled() covers them.
  const cluster = await Cluster.start({ clock, controllers: { builtins: false, rateLimiter: { qps: Infinity } }, scheduler: false });
  const manager = cluster.controllers;
  for (const c of controllers) await manager.register(c);
  return {
    clock,
    cluster,
    manager,
    idle: () => cluster.settled(),
    stop: () => cluster.stop(),
  };
}

export function pods(cluster: Cluster, ns = 'default') {
  return cluster.context.client<Pod>('v1', 'Pod', ns);
}

/** Lists the active (not terminating) pods of a namespace. */
export async function activePods(cluster: Cluster, ns = 'default'): Promise<Pod[]> {
  return (await pods(cluster, ns).list()).items.filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
  );
}

/** Plays the kubelet: marks pods Running and Ready (at the clock's time). */
export async function markReady(h: Harness, filter: (p: Pod) => boolean = () => true, ns = 'default'): Promise<number> {
  let n = 0;
  for (const p of await activePods(h.cluster, ns)) {
    if (!filter(p)) continue;
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const now = h.clock.now().toISOString();
    await pods(h.cluster, ns).updateStatus({
      ...p,
      status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
    });
    n++;
  }
  return n;
}

/** Plays the kubelet for deleted pods: removes pods that are terminating (grace 0). */
export async function finishTerminating(h: Harness, ns = 'default'): Promise<void> {
  for (const p of (await pods(h.cluster, ns).list()).items) {
    if (p.metadata.deletionTimestamp)
      await pods(h.cluster, ns)
        .delete(p.metadata.name!, { gracePeriodSeconds: 0 })
        .catch(() => undefined);
  }
}

export const container = { name: 'app', image: 'web:1' };
