/**
 * A DaemonSet's history as ControllerRevisions (constructHistory, snapshot, Match,
 * cleanupHistory): each revision stores the template as a patch that restores it; the current
 * one is the revision whose data matches the DaemonSet, its name `<ds>-<hash>` and its
 * `controller-revision-hash` label give pods their hash; old revisions beyond
 * revisionHistoryLimit that no pod uses are deleted, lowest revision first.
 */
import type { ControllerRevision, DaemonSet, Pod } from '../../model/types.js';
import type { core } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import { controllerRevisionName, equalRevision, sortRevisions, type RevisionData } from '../util/controller-revision.js';
import { computeHash } from '../util/template-hash.js';
import { CONTROLLER_REVISION, daemonSetOwnerRef } from './names.js';

/** The patch a revision stores: `{ spec: { template: { ...template, $patch: 'replace' } } }` (getPatch). */
export function revisionData(ds: DaemonSet): RevisionData {
  const template = cloneJson(ds.spec?.template ?? {}) as core.PodTemplateSpec;
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** True when the revision stores the DaemonSet's current template (Match). */
export function matchesRevision(ds: DaemonSet, cr: ControllerRevision): boolean {
  return equalRevision({ data: revisionData(ds) }, cr);
}

/** The hash of the DaemonSet's template and collision count (ComputeHash). */
export function templateHash(ds: DaemonSet): string {
  return computeHash(ds.spec?.template, ds.status?.collisionCount);
}

/** The revision to create for the current template with number `revision` (snapshot). */
export function newRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const hash = templateHash(ds);
  return {
    apiVersion: CONTROLLER_REVISION.apiVersion,
    kind: CONTROLLER_REVISION.kind,
    metadata: {
      name: controllerRevisionName(ds.metadata.name ?? '', hash),
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [daemonSetOwnerRef(ds)],
    },
    data: revisionData(ds),
    revision,
  };
}

/** The hash a revision gives pods: its label, or its name when unlabelled. */
export function revisionHash(cr: ControllerRevision): string {
  return cr.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? cr.metadata.name ?? '';
}

/** How the history stands against the DaemonSet (constructHistory's decisions). */
export interface HistoryPlan {
  /** The current revision to keep (the highest among matching ones); undefined when one must be created. */
  current?: ControllerRevision;
  /** Other revisions matching the template: to delete once pods are relabelled to `current`. */
  duplicates: ControllerRevision[];
  /** Revisions of other templates. */
  old: ControllerRevision[];
  /** The number the current revision must have: one above every old revision. */
  nextRevision: number;
}

/** Splits the DaemonSet's revisions into current, duplicates and old. */
export function planHistory(ds: DaemonSet, revisions: readonly ControllerRevision[]): HistoryPlan {
  const matching: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (const cr of revisions) (matchesRevision(ds, cr) ? matching : old).push(cr);
  const nextRevision = old.reduce((m, cr) => Math.max(m, cr.revision ?? 0), 0) + 1;
  let current: ControllerRevision | undefined;
  for (const cr of matching) if (!current || (cr.revision ?? 0) >= (current.revision ?? 0)) current = cr;
  return { current, duplicates: matching.filter((cr) => cr !== current), old, nextRevision };
}

/**
 * Old revisions to delete so at most revisionHistoryLimit remain: lowest revision first,
 * skipping any whose hash a pod (terminating ones included) still carries.
 */
export function revisionsToCleanUp(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): ControllerRevision[] {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  let toKill = old.length - limit;
  if (toKill <= 0) return [];
  const live = new Set<string>();
  for (const p of pods) {
    const h = p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    if (h) live.add(h);
  }
  const out: ControllerRevision[] = [];
  for (const cr of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(cr.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')) continue;
    out.push(cr);
    toKill--;
  }
  return out;
}
