/**
 * controller-runtime's CreateOrPatch: make an object look the way a controller wants with one
 * call, writing only when something changed.
 */
import { produce, type Draft } from 'immer';
import type { KubeObject } from '../../model/types.js';
import type { ResourceClient } from '../../client/types.js';
import { TugboatError } from '../../model/errors.js';
import { jsonEqual } from '../../model/json.js';

/** What {@link createOrPatch} did. */
export type OperationResult = 'created' | 'updated' | 'unchanged';

/** The outcome of {@link createOrPatch}: what it did and the object as stored after it. */
export interface CreateOrPatchResult<T> {
  result: OperationResult;
  object: T;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The JSON merge patch (RFC 7386) that turns `before` into `after`, or undefined when they are
 * equal. Removed members become null; arrays are replaced whole.
 */
export function mergePatchBetween(before: unknown, after: unknown): unknown {
  if (jsonEqual(before, after)) return undefined;
  if (!isRecord(before) || !isRecord(after)) return after === undefined ? null : after;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) if (before[key] !== undefined && after[key] === undefined) patch[key] = null;
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    const sub = mergePatchBetween(before[key], after[key]);
    if (sub !== undefined) patch[key] = sub;
  }
  return patch;
}

function withoutStatus(obj: KubeObject): Record<string, unknown> {
  const { status: _, ...rest } = obj as KubeObject & { status?: unknown };
  return rest;
}

/**
 * Creates the object named by `obj` or brings the existing one in line (controller-runtime's
 * CreateOrPatch): reads it; when it is missing, applies `mutate` to `obj` and creates it;
 * otherwise applies `mutate` to (an immer draft of) the stored object and, only when that
 * changed it, sends merge patches of the difference (spec and metadata, then status). `mutate`
 * sets the desired state and must not change the name or namespace.
 * @param client the client of the object's kind and namespace
 * @param obj the object's name (and namespace) and whatever a new object starts from
 * @param mutate sets the fields the caller owns; called once per attempt
 */
export async function createOrPatch<T extends KubeObject>(
  client: ResourceClient<T>,
  obj: T,
  mutate: (draft: Draft<T>) => void,
): Promise<CreateOrPatchResult<T>> {
  const name = obj.metadata.name;
  if (!name) throw TugboatError.invalid(obj, '', [{ field: 'metadata.name', message: 'createOrPatch needs a name' }]);
  const check = (changed: T): T => {
    if (
      changed.metadata.name !== name ||
      (changed.metadata.namespace ?? client.namespace) !== (obj.metadata.namespace ?? client.namespace)
    ) {
      throw new TugboatError('BadRequest', 'createOrPatch: mutate must not change the name or namespace');
    }
    return changed;
  };
  let existing = await client.find(name);
  if (!existing) {
    try {
      return { result: 'created', object: await client.create(check(produce(obj, mutate))) };
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists')) throw err;
      existing = await client.get(name); // created meanwhile: patch it instead
    }
  }
  const desired = check(produce(existing, mutate));
  const mainPatch = mergePatchBetween(withoutStatus(existing), withoutStatus(desired));
  const statusPatch = mergePatchBetween((existing as { status?: unknown }).status, (desired as { status?: unknown }).status);
  if (mainPatch === undefined && statusPatch === undefined) return { result: 'unchanged', object: existing };
  let object = existing;
  if (mainPatch !== undefined) object = await client.patch(name, mainPatch, 'merge');
  if (statusPatch !== undefined) object = await client.patchStatus(name, { status: statusPatch }, 'merge');
  return { result: 'updated', object };
}
