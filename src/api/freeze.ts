import { freeze } from 'immer';

/** Deep-freezes an object (immer's freeze), so a snapshot handed out can't be changed in place. */
export function freezeDeep<T>(obj: T): T {
  return freeze(obj, true);
}
