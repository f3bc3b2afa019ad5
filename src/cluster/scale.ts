/**
 * `cluster.scale` (as `kubectl scale`): sets the replicas of any object whose kind has a scale
 * subresource (Deployment, ReplicaSet, StatefulSet, ReplicationController, a custom resource
 * whose CRD declares `subresources.scale`), through that subresource.
 */
import type { Scale } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { apiVersionOf, type ResourceType } from '../model/resource-type.js';
import { invalid } from '../model/validation/field-errors.js';
import type { KindRegistry } from '../api/kind-registry.js';
import { scaleSubresourceOf } from '../api/scale.js';
import type { ApiContext } from '../client/types.js';
import type { KindRef } from '../client/kinds.js';

/** The built-in kinds with a scale subresource, by name. */
export type ScalableKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'ReplicationController';

/** A kind to scale: a built-in one by name, any kind by name (a CRD's `Widget`), or a typed reference. */
export type ScaleTarget = ScalableKind | (string & {}) | KindRef | { apiVersion: string; kind: string };

/** The served kinds with a scale subresource, named as in an error message. */
function scalableNames(registry: KindRegistry): string[] {
  return registry
    .all()
    .filter((t) => scaleSubresourceOf(t))
    .map((t) => t.kind)
    .sort();
}

/** The kind `target` names, checked to have a scale subresource; BadRequest naming the choices otherwise. */
export function resolveScaleTarget(registry: KindRegistry, target: ScaleTarget): ResourceType {
  let type: ResourceType | undefined;
  if (typeof target === 'string') {
    const matches = registry.all().filter((t) => t.kind === target && scaleSubresourceOf(t));
    type = matches.find((t) => t.group === 'apps') ?? matches[0];
  } else if (target && typeof target === 'object' && typeof target.apiVersion === 'string' && typeof target.kind === 'string') {
    type = registry.find(target.apiVersion, target.kind);
  }
  if (!type || !scaleSubresourceOf(type)) {
    const name = typeof target === 'string' ? target : String((target as { kind?: unknown } | undefined)?.kind);
    throw TugboatError.badRequest(
      `kind: Unsupported value: "${name}": supported values: ${scalableNames(registry)
        .map((k) => `"${k}"`)
        .join(', ')} (the kinds with a scale subresource)`,
    );
  }
  return type;
}

/** Sets the replicas of `name` through its scale subresource; returns the new Scale. */
export async function scaleObject(
  ctx: ApiContext,
  registry: KindRegistry,
  namespace: string,
  target: ScaleTarget,
  name: string,
  replicas: number,
): Promise<Scale> {
  const kind = typeof target === 'string' ? target : String((target as { kind?: unknown } | undefined)?.kind);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw TugboatError.invalid({ kind }, name, [invalid('spec.replicas', replicas, 'must be an integer')]);
  }
  if (replicas < 0) throw TugboatError.invalid({ kind }, name, [invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  const type = resolveScaleTarget(registry, target);
  return ctx.client(apiVersionOf(type), type.kind, namespace).updateScale(name, { spec: { replicas } });
}
