import type { Deployment, ReplicaSet, core } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { invalid } from '../model/validation/field-errors.js';
import type { Clock } from '../clock/types.js';
import { templateForRevision } from '../controllers/deployment/revisions.js';
import type { ResourceClient } from '../client/types.js';
import { waitFor } from './wait-for.js';
import { rfc3339 } from '../clock/time-format.js';
import { getCondition } from '../model/conditions.js';
import { CHANGE_CAUSE_ANNOTATION, RESTARTED_AT_ANNOTATION, REVISION_ANNOTATION } from '../model/well-known.js';

/** One revision of a Deployment, as `kubectl rollout history` shows it. */
export interface RolloutRevision {
  revision: number;
  replicaSet: string;
  changeCause?: string;
  template: core.PodTemplateSpec;
}

/** Options of {@link Rollout.status}. */
export interface RolloutStatusOptions {
  /** Wall-time limit. @default 60_000 */
  timeoutMs?: number;
}

/**
 * `kubectl rollout` for one Deployment: wait for it to finish, list its history, undo to a
 * revision, pause, resume and restart it.
 */
export class Rollout {
  constructor(
    private readonly deployments: ResourceClient<Deployment>,
    private readonly replicaSets: ResourceClient<ReplicaSet>,
    private readonly name: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves with the Deployment once its rollout is complete (every replica updated and
   * available, no old replica left), as `kubectl rollout status`. Fails when the Deployment
   * exceeds its progress deadline, or Timeout after `timeoutMs`.
   */
  async status(options: RolloutStatusOptions = {}): Promise<Deployment> {
    const done = await waitFor(this.deployments, this.name, (d) => rolloutComplete(d, this.name), {
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    return done as Deployment;
  }

  /** The Deployment's revisions, oldest first. */
  async history(): Promise<RolloutRevision[]> {
    const owned = await this.ownedReplicaSets();
    return owned
      .map((rs) => ({
        revision: Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
        replicaSet: rs.metadata.name ?? '',
        changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
        template: rs.spec?.template ?? {},
      }))
      .filter((r) => r.revision > 0)
      .sort((a, b) => a.revision - b.revision);
  }

  /**
   * Rolls back to `toRevision` (a number, or `{ toRevision }`), or to the previous revision, as
   * `kubectl rollout undo`. A revision the history lacks fails NotFound (`unable to find
   * specified revision 99 in history`), as does a negative one; a non-integer fails Invalid.
   */
  async undo(options: number | { toRevision?: number } = {}): Promise<Deployment> {
    const toRevision = typeof options === 'object' && options !== null ? options.toRevision : options;
    if (toRevision !== undefined && (typeof toRevision !== 'number' || !Number.isInteger(toRevision))) {
      throw TugboatError.invalid({ kind: 'Deployment' }, this.name, [invalid('toRevision', toRevision, 'must be an integer')]);
    }
    // kubectl's deployment rollbacker: a negative revision is one the history cannot have.
    if (toRevision !== undefined && toRevision < 0) {
      throw new TugboatError('NotFound', `unable to find specified revision ${toRevision} in history`);
    }
    const d = await this.deployments.get(this.name);
    if (d.spec?.paused) {
      throw TugboatError.badRequest(`deployment "${this.name}": you cannot rollback a paused deployment; resume it first`);
    }
    const template = templateForRevision(await this.ownedReplicaSets(), toRevision);
    return this.deployments.patch(this.name, [{ op: 'replace', path: '/spec/template', value: template }], 'json');
  }

  /** Stops the rollout from progressing (scaling still applies). */
  pause(): Promise<Deployment> {
    return this.deployments.patch(this.name, { spec: { paused: true } });
  }

  /** Lets a paused rollout progress again. */
  resume(): Promise<Deployment> {
    return this.deployments.patch(this.name, { spec: { paused: null } });
  }

  /** Replaces every pod, by stamping the template with the restart time. */
  restart(): Promise<Deployment> {
    const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(this.clock.now()) } } } } };
    return this.deployments.patch(this.name, patch, 'strategic');
  }

  private async ownedReplicaSets(): Promise<ReplicaSet[]> {
    const d = await this.deployments.get(this.name);
    const all = await this.replicaSets.list();
    return all.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid && o.controller));
  }
}

/** kubectl's rollout-status rule; throws when the progress deadline was exceeded. */
export function rolloutComplete(d: Deployment | undefined, name: string): boolean {
  if (!d) throw TugboatError.notFound({ kind: 'deployments', group: 'apps' }, name);
  const generation = d.metadata.generation ?? 0;
  const status = d.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) return false;
  const progressing = getCondition(status.conditions, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    throw new TugboatError('Timeout', `deployment "${name}" exceeded its progress deadline`);
  }
  const want = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < want) return false;
  if ((status.replicas ?? 0) > updated) return false;
  if ((status.availableReplicas ?? 0) < updated) return false;
  return true;
}
