/**
 * The scale subresource (`<kind>/scale`), as kube-apiserver serves it for Deployments,
 * ReplicaSets, StatefulSets and ReplicationControllers, and for custom resources whose CRD
 * declares `subresources.scale`: an autoscaling/v1 Scale read from and written to the object.
 */
import type { KubeObject, LabelSelector, Scale } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { ResourceType, ScaleSubresource } from '../model/resource-type.js';
import { labelSelectorAsSelector, selectorFromSet } from '../model/selector.js';
import { invalid } from '../model/validation/field-errors.js';
import type { ObjectApi } from './object-api.js';
import type { WriteOptions } from '../client/types.js';

/** The built-in kinds with a scale subresource: replicas in spec and status, the selector in spec. */
const BUILTIN: ReadonlySet<string> = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);
const BUILTIN_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.spec.selector',
};

/** The kind's scale subresource, or undefined when it has none. */
export function scaleSubresourceOf(type: ResourceType): ScaleSubresource | undefined {
  if (BUILTIN.has(`${type.group}/${type.kind}`)) return BUILTIN_SCALE;
  return type.scale;
}

/** The kind's scale subresource, or NotFound as kube-apiserver answers for a kind without one. */
function requireScale(type: ResourceType): ScaleSubresource {
  const scale = scaleSubresourceOf(type);
  if (!scale) {
    throw new TugboatError('NotFound', `the server could not find the requested resource (${type.plural}/scale)`, {
      group: type.group,
      kind: `${type.plural}/scale`,
    });
  }
  return scale;
}

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** A merge patch that sets `path` to `value`. */
function patchAt(path: string, value: unknown): Record<string, unknown> {
  const parts = segments(path);
  let out: unknown = value;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i] as string]: out };
  return out as Record<string, unknown>;
}

function selectorText(value: unknown, labelMap: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    try {
      // A ReplicationController selects by a plain label map; the apps kinds by a LabelSelector.
      if (labelMap) return selectorFromSet(value as Record<string, string>).toString();
      return labelSelectorAsSelector(value as LabelSelector).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The Scale of an object of a kind with a scale subresource. */
export function scaleOf(type: ResourceType, obj: KubeObject): Scale {
  const paths = requireScale(type);
  const spec = readPath(obj, paths.specReplicasPath);
  const status = readPath(obj, paths.statusReplicasPath);
  const labelMap = type.group === '' && type.kind === 'ReplicationController';
  const selector = paths.labelSelectorPath ? selectorText(readPath(obj, paths.labelSelectorPath), labelMap) : undefined;
  const m = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(m.uid ? { uid: m.uid } : {}),
      ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: { replicas: typeof status === 'number' ? status : 0, ...(selector ? { selector } : {}) },
  };
}

/** Reads the Scale of `name` (GET `<kind>/scale`). */
export async function getScale(api: ObjectApi, type: ResourceType, namespace: string | undefined, name: string): Promise<Scale> {
  requireScale(type);
  return scaleOf(type, await api.get(type, namespace, name));
}

/**
 * Sets the replicas of `name` through its scale subresource (PUT `<kind>/scale`):
 * `scale.spec.replicas` must be an integer of at least 0; a `metadata.resourceVersion` in `scale`
 * must be the object's (Conflict otherwise). Returns the new Scale.
 */
export async function updateScale(
  api: ObjectApi,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  scale: Pick<Scale, 'spec'> & { metadata?: Scale['metadata'] },
  options?: WriteOptions,
): Promise<Scale> {
  const paths = requireScale(type);
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw TugboatError.invalid({ kind: 'Scale', group: 'autoscaling' }, name, [invalid('spec.replicas', replicas, 'must be an integer')]);
  }
  if (replicas < 0) {
    throw TugboatError.invalid({ kind: 'Scale', group: 'autoscaling' }, name, [
      invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
    ]);
  }
  const m = scale.metadata;
  if (m?.name !== undefined && m.name !== name) {
    throw TugboatError.badRequest(`metadata.name: the name of the object (${m.name}) does not match the name on the URL (${name})`);
  }
  const patch = patchAt(paths.specReplicasPath, replicas);
  if (m?.resourceVersion) patch.metadata = { resourceVersion: m.resourceVersion };
  return scaleOf(type, await api.patch(type, namespace, name, patch, 'merge', options));
}
