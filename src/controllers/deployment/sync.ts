/**
 * One reconcile of a Deployment: the writes (ReplicaSet creation and scaling, revision
 * annotations, cleanup, status) around the pure planner. Kubernetes' sync.go.
 */
import type { apps, Deployment, ReplicaSet } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { cloneJson } from '../../model/clone.js';
import type { ReconcileContext } from '../runtime/types.js';
import { getCondition, setCondition } from '../../model/conditions.js';
import { jsonEqual } from '../../model/json.js';
import { maxSurge, newRSNewReplicas, planScale } from './planner.js';
import { replicaSetsToCleanUp } from './revisions.js';
import { maxRevision, revisionAnnotations, revisionOf } from '../util/revision-annotations.js';
import { computeHash, equalIgnoreHash } from '../util/template-hash.js';
import { controllerOf, controllerRef } from '../util/controller-ref.js';
import { REASONS, hasProgressDeadline, msUntilDeadline } from './progress.js';
import { DEPLOYMENT_CONDITION, calculateStatus, condition, rolloutStatus } from './status.js';
import {
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from '../../model/well-known.js';
import { deploymentReplicas, findNewReplicaSet, findOldReplicaSets, rsReplicas } from './util.js';

/** The component name on Events. */
export const COMPONENT = 'deployment-controller';

const SKIP_COPY = new Set([
  LAST_APPLIED,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The state of one Deployment reconcile: the Deployment and its ReplicaSets as last written. */
export class DeploymentSync {
  constructor(
    readonly ctx: ReconcileContext,
    public d: Deployment,
    public sets: ReplicaSet[],
  ) {}

  get nowMs(): number {
    return this.ctx.clock.nowMs();
  }

  private rsClient() {
    return this.ctx.client<ReplicaSet>('apps/v1', 'ReplicaSet', this.d.metadata.namespace);
  }

  private dClient() {
    return this.ctx.client<Deployment>('apps/v1', 'Deployment', this.d.metadata.namespace);
  }

  private replace(rs: ReplicaSet): ReplicaSet {
    this.sets = [...this.sets.filter((x) => x.metadata.uid !== rs.metadata.uid), rs];
    return rs;
  }

  /**
   * Finds (or, with `create`, creates) the new RS and brings its revision up to date; also sets
   * the Deployment's revision annotation. Kubernetes' getAllReplicaSetsAndSyncRevision.
   */
  async newAndOld(create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(this.d, this.sets);
    const oldRSs = findOldReplicaSets(existing, this.sets);
    const next = maxRevision(oldRSs) + 1;
    if (existing) {
      let rs = existing;
      const annotations = revisionAnnotations(rs, next);
      const minReady = this.d.spec?.minReadySeconds ?? 0;
      if (annotations || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
        rs = this.replace(
          await this.rsClient().update({
            ...rs,
            metadata: { ...rs.metadata, annotations: annotations ?? rs.metadata.annotations },
            spec: { ...(rs.spec as apps.ReplicaSetSpec), minReadySeconds: minReady },
          }),
        );
      }
      const changed = await this.setRevision(revisionOf(rs));
      if (changed && hasProgressDeadline(this.d) && !getCondition(this.d.status?.conditions, 'Progressing')) {
        await this.writeConditions(
          setCondition(
            this.d.status?.conditions,
            condition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${rs.metadata.name}"`, this.nowMs),
            DEPLOYMENT_CONDITION,
          ),
        );
      }
      return { newRS: rs, oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };
    const rs = await this.createNewRS(oldRSs, next);
    return { newRS: rs, oldRSs };
  }

  private async createNewRS(oldRSs: ReplicaSet[], revision: number): Promise<ReplicaSet> {
    const d = this.d;
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = cloneJson(d.spec?.template ?? {}) as NonNullable<apps.DeploymentSpec['template']>;
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = cloneJson(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_COPY.has(k)) annotations[k] = v;
    const replicas = newRSNewReplicas(d, oldRSs, undefined);
    annotations[REVISION_ANNOTATION] = String(revision);
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(deploymentReplicas(d));
    annotations[MAX_REPLICAS_ANNOTATION] = String(deploymentReplicas(d) + maxSurge(d));
    const name = `${d.metadata.name}-${hash}`;
    let rs: ReplicaSet;
    try {
      rs = await this.rsClient().create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: d.metadata.namespace,
          labels: template.metadata.labels,
          annotations,
          ownerReferences: [controllerRef(d)],
        },
        spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
      });
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists')) throw err;
      const other = await this.rsClient().get(name);
      const ref = controllerOf(other);
      if (ref?.uid === d.metadata.uid && equalIgnoreHash(other.spec?.template, d.spec?.template)) return this.replace(other);
      // a hash collision: bump collisionCount so the next hash differs, and retry
      await this.writeStatus({ ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
      throw new Error(`replica set ${name} exists and is not this deployment's: collisionCount raised`);
    }
    this.replace(rs);
    if (replicas > 0)
      await this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`, COMPONENT);
    if (hasProgressDeadline(d)) {
      await this.writeConditions(
        setCondition(
          this.d.status?.conditions,
          condition('Progressing', 'True', REASONS.newRSCreated, `Created new replica set "${name}"`, this.nowMs),
          DEPLOYMENT_CONDITION,
        ),
      );
    }
    await this.setRevision(revision);
    return rs;
  }

  /** Sets the Deployment's revision annotation; true when it changed. */
  private async setRevision(revision: number): Promise<boolean> {
    if (revision <= 0 || this.d.metadata.annotations?.[REVISION_ANNOTATION] === String(revision)) return false;
    this.d = await this.dClient().update({
      ...this.d,
      metadata: { ...this.d.metadata, annotations: { ...(this.d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(revision) } },
    });
    return true;
  }

  /** Scales `rs` to `size`, stamping the desired/max annotations; records ScalingReplicaSet. */
  async scale(rs: ReplicaSet, size: number): Promise<ReplicaSet> {
    const d = this.d;
    const desired = String(deploymentReplicas(d));
    const max = String(deploymentReplicas(d) + maxSurge(d));
    const cur = rsReplicas(rs);
    const ann = rs.metadata.annotations ?? {};
    if (cur === size && ann[DESIRED_REPLICAS_ANNOTATION] === desired && ann[MAX_REPLICAS_ANNOTATION] === max) return rs;
    const updated = this.replace(
      await this.rsClient().update({
        ...rs,
        metadata: { ...rs.metadata, annotations: { ...ann, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } },
        spec: { ...(rs.spec as apps.ReplicaSetSpec), replicas: size },
      }),
    );
    if (cur !== size) {
      const verb = size > cur ? 'up' : 'down';
      await this.ctx.events.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${verb} replica set ${rs.metadata.name} from ${cur} to ${size}`,
        COMPONENT,
      );
    }
    return updated;
  }

  /** Applies a map of target sizes; true when something was scaled. */
  async applySizes(sizes: Map<string, number>): Promise<boolean> {
    let changed = false;
    for (const [name, size] of sizes) {
      const rs = this.sets.find((x) => x.metadata.name === name);
      if (!rs || rsReplicas(rs) === size) continue;
      await this.scale(rs, size);
      changed = true;
    }
    return changed;
  }

  /** Deletes old RSs beyond revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(this.d, oldRSs)) {
      try {
        await this.rsClient().delete(rs.metadata.name ?? '');
      } catch (err) {
        if (!TugboatError.is(err, 'NotFound')) throw err;
      }
    }
  }

  /** Kubernetes' `sync`: scaling (paused or a size change) without rollout progress. */
  async syncScaling(): Promise<number | undefined> {
    const { newRS, oldRSs } = await this.newAndOld(false);
    await this.applySizes(planScale(this.d, newRS, oldRSs));
    const fresh = this.freshSets(newRS, oldRSs);
    if (this.d.spec?.paused) await this.cleanup(fresh.oldRSs);
    await this.writeStatus(calculateStatus([...fresh.oldRSs, ...(fresh.newRS ? [fresh.newRS] : [])], fresh.newRS, this.d, this.nowMs));
    return undefined;
  }

  /** The RS objects as last written. */
  freshSets(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const latest = (rs: ReplicaSet): ReplicaSet => this.sets.find((x) => x.metadata.uid === rs.metadata.uid) ?? rs;
    return { newRS: newRS && latest(newRS), oldRSs: oldRSs.map(latest) };
  }

  /** Kubernetes' syncRolloutStatus; returns when to look again for the progress deadline. */
  async syncRolloutStatus(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<number | undefined> {
    const fresh = this.freshSets(newRS, oldRSs);
    const all = [...fresh.oldRSs, ...(fresh.newRS ? [fresh.newRS] : [])];
    const status = rolloutStatus(all, fresh.newRS, this.d, this.nowMs);
    await this.writeStatus(status);
    return msUntilDeadline(this.d, status, this.nowMs);
  }

  /** Sets the Progressing condition to DeploymentPaused/DeploymentResumed on pause changes. */
  async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getCondition(this.d.status?.conditions, 'Progressing');
    if (cond?.reason === REASONS.timedOut) return;
    const pausedCond = cond?.reason === REASONS.paused;
    if (this.d.spec?.paused && !pausedCond) {
      await this.writeConditions(
        setCondition(
          this.d.status?.conditions,
          condition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', this.nowMs),
          DEPLOYMENT_CONDITION,
        ),
      );
    } else if (!this.d.spec?.paused && pausedCond) {
      await this.writeConditions(
        setCondition(
          this.d.status?.conditions,
          condition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', this.nowMs),
          DEPLOYMENT_CONDITION,
        ),
      );
    }
  }

  private async writeConditions(conditions: apps.DeploymentCondition[]): Promise<void> {
    await this.writeStatus({ ...(this.d.status ?? {}), conditions });
  }

  /** Writes the Deployment's status when it differs. */
  async writeStatus(status: apps.DeploymentStatus): Promise<void> {
    if (jsonEqual(this.d.status ?? {}, status)) return;
    this.d = await this.dClient().updateStatus({ ...this.d, status });
  }
}
