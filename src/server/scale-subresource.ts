/**
 * The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets:
 * `kubectl scale` reads it and patches it.
 */
import type { KubeObject } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import type { ResourceClient } from '../client/types.js';
import { applyPatch } from '../api/patch.js';
import type { RequestScope, ResourceRequest } from './request-scope.js';
import { HttpError, sendJson } from './http-status.js';
import { mediaType, parseBody, readBody } from './request-body.js';
import { patchTypeOf, setWarnings, userAgentOf, writeOptionsOf, type WriteOptionsKind } from './write-options.js';
import type { InternalWriteOptions } from '../api/object-api.js';

/** A Scale object. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorString(sel: any): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn') parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
    else parts.push(e.operator === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.join(',');
}

/** The Scale of an object. */
export function scaleOf(obj: any): Scale {
  const m = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      ...(selectorString(obj.spec?.selector) ? { selector: selectorString(obj.spec?.selector) } : {}),
    },
  };
}

function replicasOf(scale: unknown, type: ResourceType, name: string): number {
  const r = (scale as any)?.spec?.replicas;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
    throw TugboatError.invalid({ kind: 'Scale', group: 'autoscaling' }, name, [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(r ?? null)}: must be greater than or equal to 0`,
        reason: 'FieldValueInvalid',
      },
    ]);
  }
  void type;
  return r;
}

/** GET, PUT and PATCH of `.../NAME/scale`. */
export async function scaleHandler(
  scope: RequestScope,
  info: ResourceRequest,
  type: ResourceType,
  client: ResourceClient,
  options: { maxBodyBytes: number },
): Promise<void> {
  const name = info.name!;
  const warnings: string[] = [];
  switch (info.verb) {
    case 'get':
      return sendJson(scope.res, 200, scaleOf(await client.get(name)));
    case 'update': {
      const body = parseBody(await readBody(scope.req, options.maxBodyBytes), mediaType(scope.req)) as Scale;
      const replicas = replicasOf(body, type, name);
      const current = await client.get(name);
      const rv = body?.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) {
        throw TugboatError.conflict(
          { kind: type.plural, group: type.group },
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      const updated = await client.patch(name, { spec: { replicas } }, 'merge', scaleWrite(scope, warnings, 'UpdateOptions'));
      setWarnings(scope.res, warnings);
      return sendJson(scope.res, 200, scaleOf(updated));
    }
    case 'patch': {
      const patchType = patchTypeOf(mediaType(scope.req));
      if (patchType === 'apply')
        throw new HttpError(415, 'UnsupportedMediaType', 'server-side apply of the scale subresource is not supported');
      const body = parseBody(await readBody(scope.req, options.maxBodyBytes), 'application/json');
      const current = scaleOf(await client.get(name));
      const next = applyPatch(structuredClone(current), body, patchType === 'strategic' ? 'merge' : patchType);
      const replicas = replicasOf(next, type, name);
      const updated = await client.patch(name, { spec: { replicas } }, 'merge', scaleWrite(scope, warnings, 'PatchOptions'));
      setWarnings(scope.res, warnings);
      return sendJson(scope.res, 200, scaleOf(updated));
    }
    default:
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource (${info.verb} ${type.plural}/scale)`,
      );
  }
}

/** A scale write's options: its managedFields entry names the scale subresource. */
function scaleWrite(scope: RequestScope, warnings: string[], kind: WriteOptionsKind): InternalWriteOptions {
  return { ...writeOptionsOf(scope.query, warnings, userAgentOf(scope), kind), fieldsSubresource: 'scale' };
}
