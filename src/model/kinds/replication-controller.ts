/**
 * ReplicationController (core/v1): the ReplicaSet's predecessor, with a plain label map as its
 * selector. Defaults and validation as Kubernetes' (selector and labels from the template when
 * empty, replicas 1; a selector that must match the template's labels, restartPolicy Always).
 */
import type { ReplicationController, StatusCause } from '../types.js';
import { defineKind } from './define-kind.js';
import { defaultPodTemplate } from '../defaults/pod-spec.js';
import { validateLabels } from '../names.js';
import { invalid, required } from '../validation/field-errors.js';
import { isObject, validateNonNegative } from '../validation/common.js';
import { validatePodSpec } from '../validation/pod-spec.js';

/** ReplicationController defaults (SetDefaults_ReplicationController): selector and labels from the template, replicas 1. */
export function defaultReplicationController(rc: ReplicationController): void {
  const spec = rc.spec;
  if (!spec) return;
  const labels = spec.template?.metadata?.labels;
  if (labels && Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
  if (labels && Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

/** Checks a ReplicationController's spec (ValidateReplicationControllerSpec). */
export function validateReplicationController(rc: ReplicationController): StatusCause[] {
  const spec = rc.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  causes.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) causes.push(required('spec.selector'));
  else causes.push(...validateLabels(selector, 'spec.selector'));
  if (!spec.template) {
    causes.push(required('spec.template'));
    return causes;
  }
  const labels = spec.template.metadata?.labels ?? {};
  causes.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    causes.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  causes.push(...validatePodSpec(spec.template.spec, 'spec.template.spec', { restartPolicies: ['Always'] }));
  return causes;
}

/** ReplicationController (core/v1). */
export const ReplicationControllerType = defineKind<ReplicationController>(
  {
    group: '',
    version: 'v1',
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    singular: 'replicationcontroller',
    shortNames: ['rc'],
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: true,
  },
  {
    defaults: defaultReplicationController,
    validate: validateReplicationController,
    statusCounts: ['observedGeneration', 'replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  },
);
