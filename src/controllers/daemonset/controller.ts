/**
 * The DaemonSet controller: one pod on every node that should run one (nodeSelector, node
 * affinity, taints and the daemon tolerations), placed by the scheduler through node affinity
 * to that node; pods leave nodes that no longer fit; RollingUpdate (maxUnavailable, maxSurge)
 * and OnDelete updates; ControllerRevision history; status counters; as Kubernetes'
 * pkg/controller/daemon. Decisions are the pure `planManage`, `planRollingUpdate`,
 * `planHistory` and `computeStatus`; this file reads, acts and writes.
 */
import type { ControllerRevision, DaemonSet, KubeObject, Node, Pod } from '../../model/types.js';
import { ownedPodsWatch } from '../util/owned-pods.js';
import { TugboatError } from '../../model/errors.js';
import { jsonEqual } from '../../model/json.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import type { Controller, ReconcileContext, ReconcileResult } from '../runtime/types.js';
import { claimObjects } from '../util/claim-objects.js';
import { controllerOf } from '../util/controller-ref.js';
import { Expectations, EXPECTATIONS_TTL_MS } from '../replicaset/expectations.js';
import { slowStartBatch } from '../replicaset/slow-start.js';
import { podForNode } from './daemon-pod.js';
import { FailedPodBackoff } from './failed-backoff.js';
import { planManage, type PlannedEvent } from './manage.js';
import { CONTROLLER_REVISION, DAEMONSET, DAEMONSET_COMPONENT, daemonSetOwnerRef, dsKey, NODE, POD } from './names.js';
import { podsByNode } from './node-pods.js';
import { matchesRevision, newRevision, planHistory, revisionHash, revisionsToCleanUp } from './revisions.js';
import { allowsSurge, planRollingUpdate } from './rolling.js';
import { computeStatus, statusUpToDate } from './status.js';

/** Options of {@link daemonSetController}. */
export interface DaemonSetControllerOptions {
  /** How long unmet creation/deletion expectations block a DaemonSet. @default 300_000 */
  expectationsTtlMs?: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ignoreNotFound(err: unknown): void {
  if (!TugboatError.is(err, 'NotFound')) throw err;
}

/** A selector that selects everything (or nothing was given). */
function selectsAll(ds: DaemonSet): boolean {
  const s = ds.spec?.selector;
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

/** What of a node decides whether a daemon pod fits it. */
function nodeFitFields(node: Node): unknown {
  return { labels: node.metadata.labels ?? {}, taints: node.spec?.taints ?? [] };
}

/** Creates the DaemonSet controller. Register it with a {@link ControllerManager}. */
export function daemonSetController(options: DaemonSetControllerOptions = {}): Controller {
  const expectations = new Expectations(options.expectationsTtlMs ?? EXPECTATIONS_TTL_MS);
  const backoff = new FailedPodBackoff();
  /** What each node last looked like to node fit, so heartbeats do not wake every DaemonSet. */
  const seenNodes = new Map<string, unknown>();

  async function record(ctx: ReconcileContext, ds: DaemonSet, e: PlannedEvent): Promise<void> {
    await ctx.events.record(ds, e.type, e.reason, e.message, DAEMONSET_COMPONENT);
  }

  /** Creates the revision of the current template; on a name collision bumps collisionCount and retries (snapshot). */
  async function snapshot(ctx: ReconcileContext, ds: DaemonSet, revision: number): Promise<ControllerRevision> {
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, ds.metadata.namespace);
    const cr = newRevision(ds, revision);
    try {
      return await crc.create(cr);
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists')) throw err;
      const existing = await crc.get(cr.metadata.name ?? '');
      if (matchesRevision(ds, existing)) return existing;
      const dsc = ctx.client<DaemonSet>(DAEMONSET.apiVersion, DAEMONSET.kind, ds.metadata.namespace);
      const fresh = await dsc.get(ds.metadata.name ?? '');
      if ((fresh.status?.collisionCount ?? 0) !== (ds.status?.collisionCount ?? 0)) {
        throw new Error(`found a stale collision count of DaemonSet ${ds.metadata.name}; will retry until it is updated`);
      }
      await dsc.updateStatus({
        ...fresh,
        status: { ...(fresh.status ?? {}), collisionCount: (fresh.status?.collisionCount ?? 0) + 1 },
      } as DaemonSet);
      throw err;
    }
  }

  /** The current revision (created or renumbered as needed) and the old ones (constructHistory). */
  async function constructHistory(
    ctx: ReconcileContext,
    ds: DaemonSet,
    pods: readonly Pod[],
  ): Promise<{ current: ControllerRevision; old: ControllerRevision[] }> {
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, ds.metadata.namespace);
    const claimed = await claimObjects<ControllerRevision>(ctx, CONTROLLER_REVISION, {
      uid: ds.metadata.uid ?? '',
      namespace: ds.metadata.namespace,
      selector: ds.spec?.selector,
      ownerRef: daemonSetOwnerRef(ds),
    });
    const revisions: ControllerRevision[] = [];
    for (const cr of claimed) {
      if (cr.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== undefined) revisions.push(cr);
      else
        revisions.push(
          await crc.patch(
            cr.metadata.name ?? '',
            { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: cr.metadata.name } } },
            'merge',
          ),
        );
    }
    const plan = planHistory(ds, revisions);
    if (!plan.current) return { current: await snapshot(ctx, ds, plan.nextRevision), old: plan.old };
    let current = plan.current;
    if (plan.duplicates.length > 0) {
      const hash = revisionHash(current);
      const pc = ctx.client<Pod>(POD.apiVersion, POD.kind, ds.metadata.namespace);
      for (const p of pods) {
        if (p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) continue;
        await pc
          .patch(p.metadata.name ?? '', { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } } }, 'merge')
          .catch(ignoreNotFound);
      }
      for (const d of plan.duplicates) await crc.delete(d.metadata.name ?? '').catch(ignoreNotFound);
    }
    if ((current.revision ?? 0) < plan.nextRevision) current = await crc.update({ ...current, revision: plan.nextRevision });
    return { current, old: plan.old };
  }

  /** Creates pods for `nodes` in slow-start batches; returns the first error. */
  async function createPods(ctx: ReconcileContext, ds: DaemonSet, key: string, nodes: readonly string[], hash: string): Promise<unknown> {
    if (nodes.length === 0) return undefined;
    const pc = ctx.client<Pod>(POD.apiVersion, POD.kind, ds.metadata.namespace);
    expectations.expectCreations(key, nodes.length, ctx.clock.nowMs());
    const res = await slowStartBatch(nodes.length, 1, async (i) => {
      try {
        const pod = await pc.create(podForNode(ds, nodes[i], hash));
        await ctx.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, DAEMONSET_COMPONENT);
      } catch (err) {
        expectations.lowerCreations(key, 1);
        throw err;
      }
    });
    if (res.skipped > 0) expectations.lowerCreations(key, res.skipped);
    if (res.error !== undefined)
      await ctx.events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${message(res.error)}`, DAEMONSET_COMPONENT);
    return res.error;
  }

  /** Deletes pods; returns the first error. */
  async function deletePods(ctx: ReconcileContext, ds: DaemonSet, key: string, victims: readonly Pod[]): Promise<unknown> {
    if (victims.length === 0) return undefined;
    const pc = ctx.client<Pod>(POD.apiVersion, POD.kind, ds.metadata.namespace);
    expectations.expectDeletions(
      key,
      victims.map((p) => p.metadata.name ?? ''),
      ctx.clock.nowMs(),
    );
    let error: unknown;
    await Promise.all(
      victims.map(async (p) => {
        try {
          await pc.delete(p.metadata.name ?? '');
          await ctx.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, DAEMONSET_COMPONENT);
        } catch (err) {
          expectations.deletionObserved(key, p.metadata.name ?? '');
          if (!TugboatError.is(err, 'NotFound')) {
            error ??= err;
            await ctx.events.record(ds, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`, DAEMONSET_COMPONENT);
          }
        }
      }),
    );
    return error;
  }

  /** Scheduled pods whose node is confirmed gone (a quorum read): no PodGC here deletes them. */
  async function confirmedOrphans(ctx: ReconcileContext, pods: readonly Pod[]): Promise<Pod[]> {
    const out: Pod[] = [];
    for (const p of pods) {
      const node = await ctx.client<Node>(NODE.apiVersion, NODE.kind).find(p.spec?.nodeName ?? '');
      if (!node) out.push(p);
    }
    return out;
  }

  /** Writes the status counters (and observedGeneration when `observe`) unless unchanged. */
  async function writeStatus(
    ctx: ReconcileContext,
    ds: DaemonSet,
    counts: ReturnType<typeof computeStatus>['counts'],
    observe: boolean,
  ): Promise<void> {
    const generation = observe ? ds.metadata.generation : undefined;
    if (statusUpToDate(ds, counts, generation)) return;
    const dsc = ctx.client<DaemonSet>(DAEMONSET.apiVersion, DAEMONSET.kind, ds.metadata.namespace);
    const next = (base: DaemonSet): DaemonSet =>
      ({
        ...base,
        status: { ...(base.status ?? {}), ...counts, ...(generation !== undefined ? { observedGeneration: generation } : {}) },
      }) as DaemonSet;
    try {
      await dsc.updateStatus(next(ds));
    } catch (err) {
      if (!TugboatError.is(err, 'Conflict')) throw err;
      await dsc.updateStatus(next(await dsc.get(ds.metadata.name ?? '')));
    }
  }

  async function sync(ctx: ReconcileContext, ds: DaemonSet, key: string): Promise<ReconcileResult | void> {
    const nodes = await ctx.cache.list<Node>(NODE.apiVersion, NODE.kind);
    const pods = await claimObjects<Pod>(ctx, POD, {
      uid: ds.metadata.uid ?? '',
      namespace: ds.metadata.namespace,
      selector: ds.spec?.selector,
      ownerRef: daemonSetOwnerRef(ds),
    });
    const { current, old } = await constructHistory(ctx, ds, pods);
    const hash = revisionHash(current);
    const byNode = podsByNode(pods);
    const nowMs = ctx.clock.nowMs();
    if (!expectations.satisfied(key, nowMs)) {
      const st = computeStatus(ds, nodes, byNode, hash, nowMs);
      await writeStatus(ctx, ds, st.counts, false);
      return;
    }
    const backoffKey = (node: string) => `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${node}`;
    const manage = planManage({
      ds,
      nodes,
      podsByNode: byNode,
      hash,
      allowsSurge: allowsSurge(ds),
      nowMs,
      backoffMs: (n) => backoff.remainingMs(backoffKey(n), nowMs),
    });
    for (const n of manage.failedOn) backoff.next(backoffKey(n), nowMs);
    for (const e of manage.events) await record(ctx, ds, e);
    const victims = [...manage.delete, ...(manage.onMissingNodes.length > 0 ? await confirmedOrphans(ctx, manage.onMissingNodes) : [])];
    let error: unknown;
    if (manage.createOn.length > 0 || victims.length > 0) {
      error = (await createPods(ctx, ds, key, manage.createOn, hash)) ?? error;
      error = (await deletePods(ctx, ds, key, victims)) ?? error;
    } else if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const rolling = planRollingUpdate({ ds, nodes, podsByNode: byNode, hash, nowMs });
      error = (await createPods(ctx, ds, key, rolling.createOn, hash)) ?? error;
      error = (await deletePods(ctx, ds, key, rolling.delete)) ?? error;
    }
    const crc = ctx.client<ControllerRevision>(CONTROLLER_REVISION.apiVersion, CONTROLLER_REVISION.kind, ds.metadata.namespace);
    for (const cr of revisionsToCleanUp(ds, old, pods)) await crc.delete(cr.metadata.name ?? '').catch(ignoreNotFound);
    const st = computeStatus(ds, nodes, byNode, hash, nowMs);
    await writeStatus(ctx, ds, st.counts, true);
    if (error !== undefined) throw error;
    const waits = [manage.requeueAfterMs, st.requeueAfterMs].filter((ms): ms is number => ms !== undefined);
    return waits.length > 0 ? { requeueAfterMs: Math.min(...waits) } : undefined;
  }

  return {
    name: DAEMONSET_COMPONENT,
    for: DAEMONSET,
    owns: [CONTROLLER_REVISION],
    watches: [
      ownedPodsWatch<DaemonSet>({
        owner: DAEMONSET,
        expectations,
        adopts: (ds, pod) => !selectsAll(ds) && labelSelectorAsSelector(ds.spec?.selector).matches(pod.metadata.labels),
      }),
      {
        ...NODE,
        async map(obj: KubeObject, cache, change) {
          const node = obj as Node;
          const name = node.metadata.name ?? '';
          if (change === 'DELETED') seenNodes.delete(name);
          else {
            const fields = nodeFitFields(node);
            const before = seenNodes.get(name);
            seenNodes.set(name, fields);
            if (change === 'MODIFIED' && before !== undefined && jsonEqual(before, fields)) return [];
          }
          const sets = await cache.list<DaemonSet>(DAEMONSET.apiVersion, DAEMONSET.kind);
          return sets.map((d) => ({ namespace: d.metadata.namespace, name: d.metadata.name ?? '' }));
        },
      },
    ],
    async reconcile(req, ctx): Promise<ReconcileResult | void> {
      const key = dsKey(req.namespace, req.name);
      let ds: DaemonSet | undefined;
      try {
        // A quorum read: the status counters are written against the stored object.
        ds = await ctx.client<DaemonSet>(DAEMONSET.apiVersion, DAEMONSET.kind, req.namespace).get(req.name);
      } catch (err) {
        ignoreNotFound(err);
      }
      if (!ds) {
        expectations.delete(key);
        return;
      }
      if (selectsAll(ds)) {
        await ctx.events.record(
          ds,
          'Warning',
          'SelectingAll',
          'This daemon set is selecting all pods. A non-empty selector is required.',
          DAEMONSET_COMPONENT,
        );
        return;
      }
      if (ds.metadata.deletionTimestamp) {
        backoff.forget(`${ds.metadata.uid}/`);
        return;
      }
      return sync(ctx, ds, key);
    },
  };
}
