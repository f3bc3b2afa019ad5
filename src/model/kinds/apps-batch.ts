/** The workload kinds: apps/v1 (Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision) and batch/v1. */
import type * as t from '../types.js';
import { defineKind } from './define-kind.js';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultStatefulSet,
} from '../defaults/workloads.js';
import { validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from '../validation/workloads.js';
import { validateCronJob, validateJob } from '../validation/batch.js';
import { validateJobUpdate, validateSelectorUpdate, validateStatefulSetUpdate } from '../validation/immutable.js';

const REPLICA_COUNTS = [
  'observedGeneration',
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'unavailableReplicas',
  'collisionCount',
];
const apps = { group: 'apps', version: 'v1', namespaced: true, nameFormat: 'dns1123-subdomain' } as const;
const batch = { group: 'batch', version: 'v1', namespaced: true, nameFormat: 'dns1123-subdomain' } as const;

/** Deployment (apps/v1). */
export const DeploymentType = defineKind<t.Deployment>(
  { ...apps, kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], hasStatus: true },
  { defaults: defaultDeployment, validate: validateDeployment, validateUpdate: validateSelectorUpdate, statusCounts: REPLICA_COUNTS },
);

/** ReplicaSet (apps/v1). */
export const ReplicaSetType = defineKind<t.ReplicaSet>(
  { ...apps, kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], hasStatus: true },
  {
    defaults: defaultReplicaSet,
    validate: validateReplicaSet,
    validateUpdate: validateSelectorUpdate,
    statusCounts: ['observedGeneration', 'replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  },
);

/** StatefulSet (apps/v1). */
export const StatefulSetType = defineKind<t.StatefulSet>(
  { ...apps, kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', shortNames: ['sts'], hasStatus: true },
  {
    defaults: defaultStatefulSet,
    validate: validateStatefulSet,
    validateUpdate: validateStatefulSetUpdate,
    statusCounts: [
      'observedGeneration',
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'availableReplicas',
      'collisionCount',
    ],
  },
);

/** DaemonSet (apps/v1). */
export const DaemonSetType = defineKind<t.DaemonSet>(
  { ...apps, kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', shortNames: ['ds'], hasStatus: true },
  {
    defaults: defaultDaemonSet,
    validate: validateDaemonSet,
    validateUpdate: validateSelectorUpdate,
    statusCounts: [
      'observedGeneration',
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
    ],
  },
);

/** ControllerRevision (apps/v1): history of StatefulSets and DaemonSets. */
export const ControllerRevisionType = defineKind<t.ControllerRevision>({
  ...apps,
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  hasStatus: false,
});

/** Job (batch/v1). */
export const JobType = defineKind<t.Job>(
  { ...batch, kind: 'Job', plural: 'jobs', singular: 'job', hasStatus: true },
  {
    defaults: defaultJob,
    validate: validateJob,
    validateUpdate: validateJobUpdate,
    statusCounts: ['active', 'succeeded', 'failed', 'ready', 'terminating'],
  },
);

/** CronJob (batch/v1). */
export const CronJobType = defineKind<t.CronJob>(
  { ...batch, kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob', shortNames: ['cj'], hasStatus: true },
  { defaults: defaultCronJob, validate: validateCronJob },
);
