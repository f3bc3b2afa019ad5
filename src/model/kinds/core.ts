/** The core (v1) kinds: Namespace, Node, Pod, ConfigMap, Secret, Service, Endpoints, volumes, Event. */
import type * as t from '../types.js';
import { defineKind } from './define-kind.js';
import { defaultPod } from '../defaults/pod-spec.js';
import { defaultEndpoints, defaultService } from '../defaults/service.js';
import { defaultNamespace, defaultPersistentVolume, defaultPersistentVolumeClaim, defaultSecret } from '../defaults/cluster.js';
import { validatePodSpec } from '../validation/pod-spec.js';
import { validateService } from '../validation/service.js';
import { validateConfigMap, validateSecret } from '../validation/config.js';
import { validatePersistentVolume, validatePersistentVolumeClaim } from '../validation/cluster.js';
import {
  validateConfigUpdate,
  validatePersistentVolumeClaimUpdate,
  validatePodUpdate,
  validateServiceUpdate,
} from '../validation/immutable.js';

const core = { group: '', version: 'v1' } as const;

/** Namespace (v1, cluster-scoped, names are DNS labels). */
export const NamespaceType = defineKind<t.Namespace>(
  {
    ...core,
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    nameFormat: 'dns1123-label',
    hasStatus: true,
  },
  { defaults: defaultNamespace },
);

/** Node (v1, cluster-scoped). */
export const NodeType = defineKind<t.Node>({
  ...core,
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  nameFormat: 'dns1123-subdomain',
  hasStatus: true,
});

/** Pod (v1). */
export const PodType = defineKind<t.Pod>(
  {
    ...core,
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: true,
  },
  { defaults: defaultPod, validate: (p) => validatePodSpec(p.spec, 'spec'), validateUpdate: validatePodUpdate },
);

/** ConfigMap (v1). */
export const ConfigMapType = defineKind<t.ConfigMap>(
  {
    ...core,
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: false,
  },
  { validate: (cm) => validateConfigMap(cm as Record<string, unknown>), validateUpdate: (o, old) => validateConfigUpdate(o, old) },
);

/** Secret (v1). */
export const SecretType = defineKind<t.Secret>(
  { ...core, kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, nameFormat: 'dns1123-subdomain', hasStatus: false },
  {
    defaults: defaultSecret,
    validate: (s) => validateSecret(s as Record<string, unknown>),
    validateUpdate: (o, old) => validateConfigUpdate(o, old),
  },
);

/** Service (v1, names are DNS labels). */
export const ServiceType = defineKind<t.Service>(
  {
    ...core,
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    namespaced: true,
    nameFormat: 'dns1123-label',
    hasStatus: true,
  },
  { defaults: defaultService, validate: validateService, validateUpdate: validateServiceUpdate },
);

/** Endpoints (v1). */
export const EndpointsType = defineKind<t.Endpoints>(
  {
    ...core,
    kind: 'Endpoints',
    plural: 'endpoints',
    singular: 'endpoints',
    shortNames: ['ep'],
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: false,
  },
  { defaults: defaultEndpoints },
);

/** PersistentVolume (v1, cluster-scoped). */
export const PersistentVolumeType = defineKind<t.PersistentVolume>(
  {
    ...core,
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    singular: 'persistentvolume',
    shortNames: ['pv'],
    namespaced: false,
    nameFormat: 'dns1123-subdomain',
    hasStatus: true,
  },
  { defaults: defaultPersistentVolume, validate: validatePersistentVolume },
);

/** PersistentVolumeClaim (v1). */
export const PersistentVolumeClaimType = defineKind<t.PersistentVolumeClaim>(
  {
    ...core,
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    shortNames: ['pvc'],
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: true,
  },
  { defaults: defaultPersistentVolumeClaim, validate: validatePersistentVolumeClaim, validateUpdate: validatePersistentVolumeClaimUpdate },
);

/** Event (v1). */
export const EventType = defineKind<t.Event>({
  ...core,
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  nameFormat: 'dns1123-subdomain',
  hasStatus: false,
});
