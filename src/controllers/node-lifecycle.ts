/**
 * The node lifecycle controller: a node whose heartbeats (Lease renewals) stop becomes
 * NotReady (Ready=Unknown) and is tainted unreachable; a node reporting Ready=False is tainted
 * not-ready; pods on NoExecute-tainted nodes are evicted after their tolerationSeconds, so
 * their controllers replace them elsewhere. Taints go when the node is Ready again.
 */
import type { KubeObject, Lease, Node, Pod } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { rfc3339 } from '../clock/time-format.js';
import { getCondition, setCondition } from '../model/conditions.js';
import type { Controller, ReconcileContext, ReconcileResult } from './runtime/types.js';
import { jsonEqual } from '../model/json.js';
import { timeMs } from './util/time.js';
import { desiredTaints, evictionTimeMs } from './node-lifecycle/taints.js';
import { NODE_LEASE_NAMESPACE as LEASE_NS, TAINT_NODE_UNREACHABLE as TAINT_UNREACHABLE } from '../model/well-known.js';

const NODE = { apiVersion: 'v1', kind: 'Node' } as const;
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;
const COMPONENT = 'node-controller';

/** Options of {@link nodeLifecycleController}. */
export interface NodeLifecycleOptions {
  /** How long a node may go without a heartbeat before it is NotReady. @default 40_000 */
  gracePeriodMs?: number;
}

/** The last heartbeat of a node: its Lease renewal or its Ready condition's heartbeat. */
export function lastHeartbeatMs(node: Node, lease: Lease | undefined): number | undefined {
  const ready = getCondition(node.status?.conditions, 'Ready');
  const times = [timeMs(lease?.spec?.renewTime), timeMs(ready?.lastHeartbeatTime), timeMs(node.metadata.creationTimestamp)].filter(
    (x): x is number => x !== undefined,
  );
  return times.length ? Math.max(...times) : undefined;
}

/**
 * True when the node's pods may need action: it has a NoExecute taint or its Ready status is
 * Unknown. Otherwise the controller leaves every pod on it alone.
 */
export function podsNeedAttention(node: Node): boolean {
  if ((node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute')) return true;
  return getCondition(node.status?.conditions, 'Ready')?.status === 'Unknown';
}

/** Creates the node lifecycle controller. */
export function nodeLifecycleController(options: NodeLifecycleOptions = {}): Controller {
  const grace = options.gracePeriodMs ?? 40_000;

  async function markUnknown(ctx: ReconcileContext, node: Node, nowIso: string): Promise<Node> {
    // Kubernetes' tryUpdateNodeHealth: every condition (and a missing Ready) becomes Unknown.
    const unknown = { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    let next = node.status?.conditions ?? [];
    if (!getCondition(next, 'Ready')) next = setCondition(next, { type: 'Ready', ...unknown }, { now: nowIso });
    for (const c of next) if (c.status !== 'Unknown') next = setCondition(next, { ...c, ...unknown }, { now: nowIso });
    const updated = await ctx
      .client<Node>(NODE.apiVersion, NODE.kind)
      .updateStatus({ ...node, status: { ...node.status, conditions: next } });
    await ctx.events.record(updated, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, COMPONENT);
    return updated;
  }

  async function evict(ctx: ReconcileContext, pod: Pod, force: boolean): Promise<void> {
    try {
      await ctx.client<Pod>('v1', 'Pod', pod.metadata.namespace).delete(pod.metadata.name ?? '', force ? { gracePeriodSeconds: 0 } : {});
      await ctx.events.record(
        pod,
        'Normal',
        'TaintManagerEviction',
        `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
        COMPONENT,
      );
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    }
  }

  async function markPodNotReady(ctx: ReconcileContext, pod: Pod, nowIso: string): Promise<void> {
    const ready = getCondition(pod.status?.conditions, 'Ready');
    if (ready?.status !== 'True') return;
    const next = setCondition(pod.status?.conditions, { ...ready, status: 'False' }, { now: nowIso });
    try {
      await ctx.client<Pod>('v1', 'Pod', pod.metadata.namespace).updateStatus({ ...pod, status: { ...pod.status, conditions: next } });
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
    }
  }

  return {
    name: COMPONENT,
    for: NODE,
    watches: [
      { ...LEASE, map: (obj: KubeObject) => (obj.metadata.namespace === LEASE_NS ? [{ name: obj.metadata.name ?? '' }] : []) },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        // A pod change matters only on a node whose pods need attention; when a node starts to
        // need it, the node's own change reconciles it with all its pods.
        map: async (obj: KubeObject, cache, change) => {
          const nodeName = (obj as Pod).spec?.nodeName;
          if (!nodeName || change === 'DELETED') return [];
          const node = await cache.get<Node>(NODE.apiVersion, NODE.kind, undefined, nodeName);
          return node && !podsNeedAttention(node) ? [] : [{ name: nodeName }];
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      let node = await ctx.cache.get<Node>(NODE.apiVersion, NODE.kind, undefined, req.name);
      if (!node) return;
      const lease = await ctx.cache.get<Lease>(LEASE.apiVersion, LEASE.kind, LEASE_NS, req.name);
      const nowMs = ctx.clock.nowMs();
      const nowIso = rfc3339(nowMs);
      const beat = lastHeartbeatMs(node, lease) ?? nowMs;
      let wake: number | undefined;
      const ready = () => getCondition(node!.status?.conditions, 'Ready')?.status;
      if (beat + grace < nowMs) {
        if (ready() !== 'Unknown') node = await markUnknown(ctx, node, nowIso);
      } else {
        wake = beat + grace - nowMs + 1;
      }
      const taints = desiredTaints(node.spec?.taints, ready(), nowIso);
      if (taints !== node.spec?.taints && !jsonEqual(taints, node.spec?.taints ?? [])) {
        node = await ctx.client<Node>(NODE.apiVersion, NODE.kind).update({ ...node, spec: { ...node.spec, taints } });
      }
      const unreachable = (node.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute');
      // A node with no NoExecute taint whose status is known leaves every pod alone: skip the pods.
      if (!podsNeedAttention(node)) return wake !== undefined ? { requeueAfterMs: wake } : undefined;
      const pods = (await ctx.cache.list<Pod>('v1', 'Pod')).filter((p) => p.spec?.nodeName === req.name);
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) {
          if (unreachable) await evict(ctx, pod, true);
          continue;
        }
        if (ready() === 'Unknown') await markPodNotReady(ctx, pod, nowIso);
        const at = evictionTimeMs(node.spec?.taints, pod.spec?.tolerations, nowMs);
        if (at === undefined) continue;
        if (at <= nowMs) await evict(ctx, pod, unreachable);
        else wake = Math.min(wake ?? Infinity, at - nowMs);
      }
      return wake !== undefined ? { requeueAfterMs: wake } : undefined;
    },
  };
}
