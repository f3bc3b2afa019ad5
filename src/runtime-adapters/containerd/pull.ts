import { ImagePullError } from '../types.js';
import type { ContainerdScope } from './scope.js';

/** Pulls an image (placeholder until the registry client lands). */
export async function pullImage(_scope: ContainerdScope, ref: string, _signal?: AbortSignal): Promise<void> {
  throw new ImagePullError(ref, `failed to pull image "${ref}": pulling is not implemented yet`, 'ErrImagePull');
}
