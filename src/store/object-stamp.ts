/**
 * Pure helpers for what a store owns: the resourceVersion, names for generateName, private copies
 * of its input and no-op detection. uid, creationTimestamp and generation are the API server's
 * (src/api/system-fields.ts): a store keeps them as given. Kept apart from MemoryStore so another
 * store can reuse them.
 */
import type { KubeObject, ObjectMeta } from '../model/types.js';
import type { StoreCreateOptions } from './types.js';
import { TugboatError } from '../model/errors.js';
import { required } from '../model/validation/field-errors.js';
import { jsonEqual } from '../model/json.js';
import { cloneJson, cloneSharing } from '../model/clone.js';

/** The characters Kubernetes uses for generateName suffixes (no vowels, no look-alikes). */
export const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Length of a generateName suffix. */
export const GENERATE_NAME_SUFFIX_LENGTH = 5;
/** Longest name a generated name may have (Kubernetes truncates the prefix to fit). */
const MAX_NAME_LENGTH = 63;

/** A random 5-character suffix for metadata.generateName, as Kubernetes makes them. */
export function generateNameSuffix(random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < GENERATE_NAME_SUFFIX_LENGTH; i++) {
    out += GENERATE_NAME_ALPHABET[Math.floor(random() * GENERATE_NAME_ALPHABET.length)];
  }
  return out;
}

/** `prefix` (truncated so the result fits 63 characters) plus a random suffix. */
export function generateName(prefix: string, random: () => number = Math.random): string {
  const room = MAX_NAME_LENGTH - GENERATE_NAME_SUFFIX_LENGTH;
  return prefix.slice(0, room) + generateNameSuffix(random);
}

/**
 * A private, mutable copy of a caller's object, so later mutations by the caller do not leak
 * into the store. Throws BadRequest when it is not a storable object. With `stored` (the frozen
 * current version of an update), the parts equal to `stored`'s are shared instead of copied.
 */
export function copyInput(obj: KubeObject, stored?: KubeObject): KubeObject {
  assertStorable(obj);
  try {
    return stored ? cloneSharing(obj, stored) : cloneJson(obj);
  } catch (err) {
    throw TugboatError.badRequest(`the object cannot be stored: ${(err as Error).message}`);
  }
}

/**
 * The object a create stores: `obj` itself when the caller handed it over
 * ({@link StoreCreateOptions.owned}), else a private copy as {@link copyInput} makes.
 */
export function createInput(obj: KubeObject, options: StoreCreateOptions | undefined): KubeObject {
  if (!options?.owned) return copyInput(obj);
  assertStorable(obj);
  return obj;
}

/** Throws BadRequest (or Invalid without metadata) when `obj` is not a storable object. */
export function assertStorable(obj: KubeObject): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw TugboatError.badRequest('the object to store must be a JSON object');
  }
  if (obj.metadata === null || typeof obj.metadata !== 'object') {
    throw TugboatError.invalid({ kind: obj.kind }, '', [required('metadata')]);
  }
}

/** ObjectMeta without `readonly`, for stamping a private copy. */
export type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** The metadata of a private (not yet frozen) copy, writable. */
export function metaOf(obj: KubeObject): MutableMeta {
  return obj.metadata as MutableMeta;
}

/**
 * Carries the stored resourceVersion into an update candidate (mutates and returns it), so the
 * candidate equals `stored` exactly when the update is a no-op. Everything else is the caller's:
 * the API server stamps uid, creationTimestamp and generation (src/api/system-fields.ts).
 */
export function carryOver(stored: KubeObject, candidate: KubeObject): KubeObject {
  metaOf(candidate).resourceVersion = stored.metadata.resourceVersion;
  return candidate;
}

/** True when an update candidate (after {@link carryOver}) changes nothing. */
export function isNoop(stored: KubeObject, candidate: KubeObject): boolean {
  return jsonEqual(stored, candidate);
}

/** The conflict message Kubernetes gives for a stale resourceVersion. */
export const STALE_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

/** Parses a resourceVersion string; throws BadRequest when it is not a non-negative integer. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw TugboatError.badRequest(`invalid resource version "${rv}"`);
  return Number(rv);
}
