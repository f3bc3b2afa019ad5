/**
 * The etcd3 package (an optional peer dependency, version 1), loaded on first use so that
 * importing `tugboat/etcd` needs nothing installed, and the translation of its errors into
 * Kubernetes-style ones.
 */
import { createRequire } from 'node:module';
import type * as Etcd3Module from 'etcd3';
import { TugboatError } from '../../model/errors.js';

/** The etcd3 module's exports that EtcdStore uses. */
export type Etcd3 = typeof Etcd3Module;

/** etcd's message for a read or watch at a revision compaction has removed. */
const COMPACTED = 'required revision has been compacted';
/** etcd's message for a read at a revision it has not reached. */
const FUTURE = 'required revision is a future revision';

/** Loads etcd3; ServiceUnavailable naming the package when it is not installed. */
export function loadEtcd3(): Etcd3 {
  try {
    return createRequire(import.meta.url)('etcd3') as Etcd3;
  } catch (err) {
    throw new TugboatError(
      'ServiceUnavailable',
      `EtcdStore needs the optional peer dependency etcd3 (version 1): npm install etcd3@1 (${(err as Error).message})`,
    );
  }
}

/**
 * A pass-through fault-handling policy (cockatiel's `noop`, from etcd3's own copy): EtcdStore
 * retries by itself, so the client's circuit breaker must not refuse calls for seconds after
 * etcd comes back from a restart.
 */
export function noopPolicy(): unknown {
  const require = createRequire(createRequire(import.meta.url).resolve('etcd3'));
  return (require('cockatiel') as { noop: unknown }).noop;
}

/** True when `err` is etcd's answer for a revision that compaction removed. */
export function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED);
}

/** True when `err` is etcd's answer for a revision newer than its own. */
export function isFutureRevision(err: unknown): boolean {
  return err instanceof Error && err.message.includes(FUTURE);
}

/**
 * True when `err` says etcd could not be reached or answered "unavailable" (it restarts, a leader
 * election runs): the call may be retried.
 */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const name = err.constructor?.name ?? '';
  return (
    name === 'GRPCUnavailableError' ||
    name === 'GRPCDeadlineExceededError' ||
    name === 'GRPCCancelledError' ||
    name === 'BrokenCircuitError' ||
    /UNAVAILABLE|ECONNREFUSED|ECONNRESET|No connection established|leader changed|no leader/i.test(err.message)
  );
}

/** ServiceUnavailable (503) for an etcd that did not answer in time, keeping etcd's message. */
export function unavailable(endpoints: readonly string[], err: unknown): TugboatError {
  return new TugboatError('ServiceUnavailable', `etcd at ${endpoints.join(',')} is unavailable: ${(err as Error).message}`);
}
