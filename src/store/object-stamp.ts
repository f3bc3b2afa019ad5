/**
 * Pure helpers that stamp store-owned metadata (uid, creationTimestamp, resourceVersion,
 * generation) and name generated objects: the rules any ObjectStore implementation must follow,
 * kept apart from MemoryStore so another store can reuse them.
 */
import type { KubeObject, ObjectMeta } from '../model/types.js';
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

/** Store-owned values stamped on create. */
export interface CreateStamp {
  uid: string;
  creationTimestamp: string;
  resourceVersion: string;
}

/**
 * Stamps a copied object for create (mutates and returns it): uid, creationTimestamp,
 * resourceVersion and generation 1. Callers check beforehand that resourceVersion was unset.
 */
export function stampCreated(obj: KubeObject, stamp: CreateStamp): KubeObject {
  const meta = metaOf(obj);
  meta.uid = stamp.uid;
  meta.creationTimestamp = stamp.creationTimestamp;
  meta.resourceVersion = stamp.resourceVersion;
  meta.generation = 1;
  return obj;
}

/** True when anything but `metadata` and `status` differs between two objects. */
export function bodyChanged(before: KubeObject, after: KubeObject): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'status') continue;
    if (!jsonEqual(before[key], after[key])) return true;
  }
  return false;
}

/**
 * Carries the store-owned fields of `stored` into an update candidate (mutates and returns
 * it): uid, creationTimestamp, the stored resourceVersion, and generation (+1 when the body
 * changed). The result equals `stored` exactly when the update is a no-op.
 */
export function carryOver(stored: KubeObject, candidate: KubeObject): KubeObject {
  const generation = stored.metadata.generation ?? 1;
  const meta = metaOf(candidate);
  meta.uid = stored.metadata.uid;
  meta.creationTimestamp = stored.metadata.creationTimestamp;
  meta.resourceVersion = stored.metadata.resourceVersion;
  meta.generation = bodyChanged(stored, candidate) ? generation + 1 : generation;
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
