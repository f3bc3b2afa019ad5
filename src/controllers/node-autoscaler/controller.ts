/**
 * A cluster-autoscaler-like controller over a provider's node groups: pods unschedulable for lack
 * of room make the group whose template fits them grow (within maxSize); nodes of a group under
 * the utilization threshold for `scaleDownUnneededTimeMs`, whose pods can all move elsewhere,
 * are drained and removed (down to minSize). Decisions are Events with cluster-autoscaler's
 * reasons and the `kube-system/cluster-autoscaler-status` ConfigMap. One loop for the whole
 * cluster (a single work-queue key), woken by pod and node changes; it sets a timer only while
 * a node is waiting to become removable.
 */
import { stringify } from 'yaml';
import type { ConfigMap, Node, Pod } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { kinds } from '../../client/kinds.js';
import type { NodeGroup, NodeGroupProvider } from '../../cloud-providers/types.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { checkUnneeded, planScaleUp, schedulableOnExisting, type ClusterState, type GroupState } from './plan.js';
import type { SchedulingSimulator } from './types.js';

/** The component name of the autoscaler's Events. */
export const CLUSTER_AUTOSCALER_COMPONENT = 'cluster-autoscaler';
/** The namespace and name of the status ConfigMap. */
export const STATUS_CONFIGMAP = { namespace: 'kube-system', name: 'cluster-autoscaler-status' } as const;

/** Options of {@link nodeAutoscalerController}. */
export interface NodeAutoscalerOptions {
  provider: NodeGroupProvider;
  /** Drains a node before its removal (the cluster's `drain`: eviction API, budgets honoured). */
  drain: (node: string) => Promise<unknown>;
  /** Scheduling simulation with the scheduler's own filters (the cluster passes one over its scheduler's plugins). */
  simulator: SchedulingSimulator;
  /** How long a node must be unneeded before it is removed. @default 600_000 (10 min) */
  scaleDownUnneededTimeMs?: number;
  /** Utilization (requests over allocatable, cpu or memory) under which a node is unneeded. @default 0.5 */
  scaleDownUtilizationThreshold?: number;
  /** No scale-down this long after a scale-up. @default 600_000 (10 min) */
  scaleDownDelayAfterAddMs?: number;
  /** The controller's name. @default 'cluster-autoscaler' */
  name?: string;
}

const REQUEST = { name: 'cluster-autoscaler' };

function isReadyNode(n: Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function isUnschedulable(p: Pod): boolean {
  if (p.spec?.nodeName || p.metadata.deletionTimestamp) return false;
  return p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') ?? false;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The cluster autoscaler over `provider`'s node groups. */
export function nodeAutoscalerController(options: NodeAutoscalerOptions): Controller {
  const { provider, simulator } = options;
  const unneededTimeMs = options.scaleDownUnneededTimeMs ?? 600_000;
  const threshold = options.scaleDownUtilizationThreshold ?? 0.5;
  const delayAfterAddMs = options.scaleDownDelayAfterAddMs ?? 600_000;
  /** Since when each node has been unneeded (ms). */
  const unneededSince = new Map<string, number>();
  /** Pods already told they triggered no scale-up (by uid), so the Event is not repeated every loop. */
  const reported = new Set<string>();
  let lastScaleUpMs = Number.NEGATIVE_INFINITY;
  /** A node being drained for removal, and its group. */
  let draining: { node: string; group: string; done?: 'ok' | 'failed'; error?: string } | undefined;
  let enqueue: (() => void) | undefined;
  let lastStatus = '';

  async function statusObject(ctx: ReconcileContext): Promise<ConfigMap> {
    const client = ctx.client(kinds.ConfigMap, STATUS_CONFIGMAP.namespace);
    return (
      (await client.find(STATUS_CONFIGMAP.name)) ??
      (await client.create({ metadata: { name: STATUS_CONFIGMAP.name, namespace: STATUS_CONFIGMAP.namespace }, data: {} }))
    );
  }

  async function writeStatus(ctx: ReconcileContext, body: Record<string, unknown>): Promise<ConfigMap> {
    const client = ctx.client(kinds.ConfigMap, STATUS_CONFIGMAP.namespace);
    const cm = await statusObject(ctx);
    const text = stringify(body);
    if (text === lastStatus && cm.data?.status) return cm;
    lastStatus = text;
    const now = rfc3339(ctx.clock.nowMs());
    return client.patch(
      STATUS_CONFIGMAP.name,
      {
        metadata: { annotations: { 'cluster-autoscaler.kubernetes.io/last-updated': now } },
        data: { status: stringify({ time: now, ...body }) },
      },
      'merge',
    );
  }

  async function record(
    ctx: ReconcileContext,
    obj: Parameters<ReconcileContext['events']['record']>[0],
    type: 'Normal' | 'Warning',
    reason: string,
    msg: string,
  ) {
    await ctx.events.record(obj, type, reason, msg, CLUSTER_AUTOSCALER_COMPONENT);
  }

  return {
    name: options.name ?? 'cluster-autoscaler',
    setup(setup) {
      enqueue = () => setup.enqueue(REQUEST);
      const wake = { onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue };
      void setup.watch(kinds.Pod, wake);
      void setup.watch(kinds.Node, wake);
      enqueue();
    },
    async reconcile(_req, ctx): Promise<ReconcileResult | void> {
      const nowMs = ctx.clock.nowMs();
      const groups = await provider.groups();
      const nodes = await ctx.cache.list(kinds.Node);
      const pods = await ctx.cache.list(kinds.Pod);
      const byName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
      const states: GroupState[] = [];
      const members = new Map<string, NodeGroup>();
      for (const group of groups) {
        const targetSize = await provider.targetSize(group.id);
        const names = await provider.nodes(group.id);
        for (const n of names) members.set(n, group);
        const registered = names.filter((n) => byName.get(n) && isReadyNode(byName.get(n)!)).length;
        states.push({ group, targetSize, upcoming: Math.max(0, targetSize - registered) });
      }
      const statusCm = await statusObject(ctx);

      // A finished drain: remove the node, or give it back.
      if (draining?.done) {
        const d = draining;
        draining = undefined;
        unneededSince.delete(d.node);
        if (d.done === 'ok') {
          try {
            await provider.deleteNodes(d.group, [d.node]);
          } catch (err) {
            await record(ctx, statusCm, 'Warning', 'ScaleDownFailed', `failed to delete node ${d.node}: ${message(err)}`);
            throw err;
          }
          await record(ctx, statusCm, 'Normal', 'ScaleDown', `Scale-down: node ${d.node} removed with drain`);
        } else {
          const node = byName.get(d.node);
          if (node) await record(ctx, node, 'Warning', 'ScaleDownFailed', `failed to drain the node, aborting ScaleDown: ${d.error}`);
          await ctx
            .client(kinds.Node)
            .patch(d.node, { spec: { unschedulable: null } }, 'merge')
            .catch((e) => {
              if (!TugboatError.is(e, 'NotFound')) throw e;
            });
        }
      }

      // Scale-up: the unschedulable pods that would not fit on the nodes there are now.
      const schedulable = nodes.filter((n) => isReadyNode(n) && !n.spec?.unschedulable && !n.metadata.deletionTimestamp);
      const podsOn = (name: string) =>
        pods.filter(
          (p) =>
            p.spec?.nodeName === name && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
        );
      const unschedulable = pods.filter(isUnschedulable);
      const bound = pods.filter(
        (p) => p.spec?.nodeName && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
      );
      const clusterState: ClusterState = { nodes: schedulable, pods: bound };
      const willFit = schedulableOnExisting(unschedulable, clusterState, simulator);
      const pending = unschedulable.filter((p) => !willFit.has(p));
      for (const uid of [...reported]) if (!pending.some((p) => p.metadata.uid === uid)) reported.delete(uid);
      const decision = planScaleUp(pending, states, clusterState, simulator);
      let scaleUpStatus = 'NoActivity';
      if (decision.scaleUp) {
        const { group, delta, pods: helped } = decision.scaleUp;
        const to = group.targetSize + delta;
        try {
          await provider.increaseSize(group.group.id, delta);
        } catch (err) {
          await record(ctx, statusCm, 'Warning', 'FailedToScaleUpGroup', `Scale-up failed for group ${group.group.id}: ${message(err)}`);
          throw err;
        }
        lastScaleUpMs = nowMs;
        scaleUpStatus = 'InProgress';
        await record(
          ctx,
          statusCm,
          'Normal',
          'ScaledUpGroup',
          `Scale-up: setting group ${group.group.id} size to ${to} instead of ${group.targetSize} (max: ${group.group.maxSize})`,
        );
        for (const p of helped) {
          await record(
            ctx,
            p,
            'Normal',
            'TriggeredScaleUp',
            `pod triggered scale-up: [{${group.group.id} ${group.targetSize}->${to} (max: ${group.group.maxSize})}]`,
          );
        }
        group.targetSize = to;
        group.upcoming += delta;
      } else if (decision.waiting.length > 0 || states.some((s) => s.upcoming > 0)) {
        scaleUpStatus = 'InProgress';
      }
      for (const { pod, reasons } of decision.noScaleUp) {
        if (reported.has(pod.metadata.uid ?? '')) continue;
        reported.add(pod.metadata.uid ?? '');
        const counts = new Map<string, number>();
        for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
        const text = [...counts].map(([r, n]) => `${n} ${r}`).join(', ') || 'no node group';
        await record(ctx, pod, 'Normal', 'NotTriggerScaleUp', `pod didn't trigger scale-up: ${text}`);
      }

      // Scale-down.
      let requeueAfterMs: number | undefined;
      const candidates: string[] = [];
      const scaleDownBlocked =
        unschedulable.length > 0 || scaleUpStatus === 'InProgress' || nowMs - lastScaleUpMs < delayAfterAddMs || draining !== undefined;
      for (const node of schedulable) {
        const name = node.metadata.name ?? '';
        const group = members.get(name);
        const state = group && states.find((s) => s.group.id === group.id);
        const check = group ? checkUnneeded(node, clusterState, threshold, simulator) : undefined;
        if (!group || !state || !check?.unneeded || state.targetSize <= group.minSize) {
          unneededSince.delete(name);
          continue;
        }
        if (!unneededSince.has(name)) unneededSince.set(name, nowMs);
        candidates.push(name);
        const readyAt = Math.max(unneededSince.get(name)! + unneededTimeMs, lastScaleUpMs + delayAfterAddMs);
        if (scaleDownBlocked || readyAt > nowMs) {
          const wait = Math.max(1000, readyAt - nowMs);
          requeueAfterMs = Math.min(requeueAfterMs ?? wait, wait);
          continue;
        }
        if (draining) continue;
        // Remove this one (one non-empty node at a time, as cluster-autoscaler).
        state.targetSize--;
        draining = { node: name, group: group.id };
        await record(ctx, node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
        for (const p of podsOn(name)) await record(ctx, p, 'Normal', 'ScaleDown', 'deleting pod for node scale down');
        const d = draining;
        options
          .drain(name)
          .then(
            () => (d.done = 'ok'),
            (err) => {
              d.done = 'failed';
              d.error = message(err);
            },
          )
          .finally(() => enqueue?.());
      }
      for (const name of [...unneededSince.keys()]) if (!candidates.includes(name)) unneededSince.delete(name);

      const registered = nodes.length;
      const ready = nodes.filter(isReadyNode).length;
      await writeStatus(ctx, {
        autoscalerStatus: 'Running',
        clusterWide: {
          health: {
            status: 'Healthy',
            nodeCounts: { registered: { total: registered, ready, notStarted: 0 }, longUnregistered: 0, unregistered: 0 },
          },
          scaleUp: { status: scaleUpStatus },
          scaleDown: { status: candidates.length > 0 ? 'CandidatesPresent' : 'NoCandidates' },
        },
        nodeGroups: states.map((s) => {
          const names = [...members].filter(([, g]) => g.id === s.group.id).map(([n]) => n);
          return {
            name: s.group.id,
            health: {
              status: 'Healthy',
              nodeCounts: {
                registered: {
                  total: names.filter((n) => byName.has(n)).length,
                  ready: names.filter((n) => byName.get(n) && isReadyNode(byName.get(n)!)).length,
                },
              },
              cloudProviderTarget: s.targetSize,
              minSize: s.group.minSize,
              maxSize: s.group.maxSize,
            },
            scaleUp: { status: s.upcoming > 0 ? 'InProgress' : 'NoActivity' },
            scaleDown: { status: names.some((n) => candidates.includes(n)) ? 'CandidatesPresent' : 'NoCandidates' },
          };
        }),
      });
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
    },
  };
}
