/**
 * The ReplicaSet controller: keeps `spec.replicas` pods of a ReplicaSet alive, adopting orphans
 * that match its selector and releasing pods that no longer match, as Kubernetes does.
 */
import type { KubeObject, Pod, ReplicaSet } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { Controller, ReconcileContext, ReconcileResult } from './runtime/types.js';
import { labelSelectorAsSelector } from '../model/selector.js';
import { claimObjects } from './util/claim-objects.js';
import { isPodActive } from './util/pods.js';
import { controllerOf, controllerRef } from './util/controller-ref.js';
import { ownedPodsWatch, ownerKey as keyOf } from './util/owned-pods.js';
import { podFromTemplate } from './util/pod-template.js';
import { jsonEqual } from '../model/json.js';
import { Expectations, EXPECTATIONS_TTL_MS } from './replicaset/expectations.js';
import { slowStartBatch } from './replicaset/slow-start.js';
import { podsToDelete } from './replicaset/deletion-order.js';
import { calculateReplicaSetStatus, type ManageError } from './replicaset/status.js';

const RS_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const RC_KIND = { apiVersion: 'v1', kind: 'ReplicationController' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const RS_COMPONENT = 'replicaset-controller';
const RC_COMPONENT = 'replication-controller';

/** Options of {@link replicaSetController}. */
export interface ReplicaSetControllerOptions {
  /**
   * The kind to run: ReplicaSets, or ReplicationControllers (the same loop, as Kubernetes' RC
   * controller is the ReplicaSet controller over a conversion: a label map as the selector).
   * @default 'ReplicaSet'
   */
  kind?: 'ReplicaSet' | 'ReplicationController';
  /** Most pods created or deleted per reconcile (Kubernetes' burstReplicas). @default 500 */
  burstReplicas?: number;
  /** How long unmet expectations block a ReplicaSet. @default 300_000 */
  expectationsTtlMs?: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Creates the ReplicaSet controller. Register it with a {@link ControllerManager}. It uses
 * expectations (see `replicaset/expectations.ts`), creates in slow-start batches and deletes
 * in Kubernetes' order (see `replicaset/deletion-order.ts`).
 */
export function replicaSetController(options: ReplicaSetControllerOptions = {}): Controller {
  const burst = options.burstReplicas ?? 500;
  const RS = options.kind === 'ReplicationController' ? RC_KIND : RS_KIND;
  const COMPONENT = options.kind === 'ReplicationController' ? RC_COMPONENT : RS_COMPONENT;
  /** The object as a ReplicaSet: a ReplicationController's label-map selector as matchLabels. */
  const view = (obj: ReplicaSet): ReplicaSet => {
    if (options.kind !== 'ReplicationController') return obj;
    const selector = (obj.spec as { selector?: Record<string, string> } | undefined)?.selector;
    return { ...obj, spec: { ...obj.spec, selector: { matchLabels: { ...(selector ?? {}) } } } as ReplicaSet['spec'] };
  };
  const expectations = new Expectations(options.expectationsTtlMs ?? EXPECTATIONS_TTL_MS);

  async function manage(ctx: ReconcileContext, rs: ReplicaSet, pods: Pod[]): Promise<ManageError | undefined> {
    const key = keyOf(rs.metadata.namespace, rs.metadata.name ?? '');
    const pc = ctx.client<Pod>('v1', 'Pod', rs.metadata.namespace);
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const n = Math.min(-diff, burst);
      expectations.expectCreations(key, n, ctx.clock.nowMs());
      const res = await slowStartBatch(n, 1, async () => {
        const pod = await pc.create(podFromTemplate(rs.spec?.template, rs));
        await ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      });
      if (res.successes < n) expectations.lowerCreations(key, n - res.successes);
      if (res.error !== undefined) {
        const msg = message(res.error);
        await ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${msg}`, COMPONENT);
        return { reason: 'FailedCreate', message: msg };
      }
    } else if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, burst));
      expectations.expectDeletions(
        key,
        victims.map((p) => p.metadata.name ?? ''),
        ctx.clock.nowMs(),
      );
      let failure: unknown;
      await Promise.all(
        victims.map(async (p) => {
          try {
            await pc.delete(p.metadata.name ?? '');
            await ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
          } catch (err) {
            expectations.deletionObserved(key, p.metadata.name ?? '');
            if (!TugboatError.is(err, 'NotFound')) failure ??= err;
          }
        }),
      );
      if (failure !== undefined) {
        await ctx.events.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${message(failure)}`, COMPONENT);
        return { reason: 'FailedDelete', message: message(failure) };
      }
    }
    return undefined;
  }

  async function writeStatus(ctx: ReconcileContext, rs: ReplicaSet, status: ReplicaSet['status']): Promise<void> {
    if (jsonEqual(rs.status ?? {}, status)) return;
    const c = ctx.client<ReplicaSet>(RS.apiVersion, RS.kind, rs.metadata.namespace);
    try {
      await c.updateStatus({ ...rs, status });
    } catch (err) {
      if (!TugboatError.is(err, 'Conflict')) throw err;
      const fresh = await c.get(rs.metadata.name ?? '');
      await c.updateStatus({ ...fresh, status });
    }
  }

  return {
    name: COMPONENT,
    for: RS,
    watches: [
      ownedPodsWatch<ReplicaSet>({
        owner: RS,
        expectations,
        adopts: (rs, pod) => labelSelectorAsSelector(view(rs).spec?.selector).matches(pod.metadata.labels),
      }),
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const key = keyOf(req.namespace, req.name);
      const stored = await ctx.cache.get<ReplicaSet>(RS.apiVersion, RS.kind, req.namespace, req.name);
      const rs = stored && view(stored);
      if (!rs) {
        expectations.delete(key);
        return;
      }
      const nowMs = ctx.clock.nowMs();
      const needsSync = expectations.satisfied(key, nowMs) && !rs.metadata.deletionTimestamp;
      const pods = await claimObjects<Pod>(
        ctx,
        POD,
        {
          uid: rs.metadata.uid ?? '',
          namespace: rs.metadata.namespace,
          deleting: !!rs.metadata.deletionTimestamp,
          selector: rs.spec?.selector,
          ownerRef: controllerRef(rs),
        },
        isPodActive,
      );
      const manageError = needsSync ? await manage(ctx, rs, pods) : undefined;
      const { status, requeueAfterMs } = calculateReplicaSetStatus(rs, pods, nowMs, manageError);
      await writeStatus(ctx, rs, status);
      if (manageError) throw new Error(`${manageError.reason}: ${manageError.message}`);
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
    },
  };
}
