import type { Controller } from './runtime/types.js';
import { replicaSetController } from './replicaset.js';

/** The controllers every cluster runs unless started with `controllers: false`. */
export function builtinControllers(): Controller[] {
  return [replicaSetController()];
}
