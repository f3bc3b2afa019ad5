/**
 * Input checks of the mock runtime: a bad config is a TugboatError naming each field.
 */
import { TugboatError, fieldError } from '../../model/errors.js';
import type { StatusCause } from '../../model/types.js';
import type { ContainerConfig, SandboxConfig } from '../types.js';

function isRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** Throws when a SandboxConfig lacks what the runtime needs. */
export function validateSandboxConfig(config: SandboxConfig): void {
  const causes: StatusCause[] = [];
  if (!config || typeof config !== 'object') throw TugboatError.badRequest('sandbox config must be an object');
  if (!isRecord(config.labels)) causes.push(fieldError('labels', 'must be a map of strings'));
  if (typeof config.podUid !== 'string' || !config.podUid) causes.push(fieldError('podUid', 'must be a non-empty string'));
  if (causes.length) throw TugboatError.invalid({ kind: 'sandboxes' }, String(config.podName), causes);
}

/** Throws when a ContainerConfig lacks what the runtime needs. */
export function validateContainerConfig(config: ContainerConfig): void {
  const causes: StatusCause[] = [];
  if (!config || typeof config !== 'object') throw TugboatError.badRequest('container config must be an object');
  if (typeof config.name !== 'string' || !config.name) causes.push(fieldError('name', 'must be a non-empty string'));
  if (typeof config.image !== 'string' || !config.image) causes.push(fieldError('image', 'must be a non-empty string'));
  if (!isRecord(config.labels)) causes.push(fieldError('labels', 'must be a map of strings'));
  if (config.command !== undefined && !Array.isArray(config.command)) causes.push(fieldError('command', 'must be an array of strings'));
  if (config.args !== undefined && !Array.isArray(config.args)) causes.push(fieldError('args', 'must be an array of strings'));
  if (causes.length) throw TugboatError.invalid({ kind: 'containers' }, String(config.name), causes);
}
