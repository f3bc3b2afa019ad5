/**
 * Deep freezing of stored objects: what the store hands out can never be changed in place.
 * (JSON equality is model/json.ts.)
 */

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Freezes `value` and everything reachable from it, in place, and returns it. Already frozen
 * sub-trees are skipped, so freezing a copy that shares frozen parts is cheap.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    // for-in with an own-property check visits what Object.keys lists without allocating its array.
    for (const key in value) if (hasOwn.call(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
