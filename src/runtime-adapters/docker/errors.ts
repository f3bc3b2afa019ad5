import { TugboatError } from '../../model/errors.js';
import { describeDaemon } from './connection.js';

/** The HTTP status of a failed Docker API call, when the error came from the daemon. */
export function dockerStatus(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The daemon's own message of a failed call (not dockerode's "(HTTP code 404) ..." wrapper). */
export function dockerMessage(err: unknown): string {
  const e = err as { json?: { message?: unknown }; message?: unknown } | null;
  if (e && typeof e.json?.message === 'string') return e.json.message;
  if (e && typeof e.message === 'string') return e.message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '');
  return String(err);
}

/** True when the call failed because the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return dockerStatus(err) === 404;
}

const CONNECT_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
]);

/** True when a call failed because the daemon could not be reached at all (no socket, refused, no route...). */
export function isUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; syscall?: unknown; statusCode?: unknown } | null;
  if (!e || typeof e.code !== 'string' || e.statusCode !== undefined) return false;
  return CONNECT_CODES.has(e.code) && (e.syscall === undefined || e.syscall === 'connect' || e.syscall === 'getaddrinfo');
}

/**
 * The TugboatError (ServiceUnavailable) of a daemon that cannot be reached: which address was
 * tried and how to point tugboat at another daemon.
 */
export function unreachableError(err: unknown, address: string): TugboatError {
  const why = err instanceof Error ? err.message : String(err);
  return new TugboatError(
    'ServiceUnavailable',
    `cannot reach the Docker daemon at ${address} (${why}). Start dockerd, or point tugboat at another daemon: ` +
      `set DOCKER_HOST (e.g. unix:///run/user/1000/docker.sock or tcp://host:2376) or pass new DockerRuntime({ socketPath }) ` +
      `or new DockerRuntime({ host, port, protocol }); use DockerRuntime.available() to fall back to another runtime.`,
    { kind: 'DockerDaemon', name: address },
  );
}

/**
 * Turns an error of a Docker call into a TugboatError: 404 NotFound, 409 Conflict, anything
 * else InternalError (a daemon that cannot be reached included).
 */
export function toTugboatError(err: unknown, action: string, subject: { kind: string; name: string }): TugboatError {
  if (err instanceof TugboatError) return err;
  if (isUnreachable(err)) return unreachableError(err, describeDaemon({}));
  const status = dockerStatus(err);
  const message = `docker: ${action} ${subject.kind} ${subject.name}: ${dockerMessage(err)}`;
  if (status === 404) return new TugboatError('NotFound', message, { kind: subject.kind, name: subject.name });
  if (status === 409) return new TugboatError('Conflict', message, { kind: subject.kind, name: subject.name });
  return new TugboatError('InternalError', message, { kind: subject.kind, name: subject.name });
}

/** Runs a Docker call, ignoring "no such object" (and the given extra statuses): for idempotent removals. */
export async function ignoreStatus<T>(call: Promise<T>, ...statuses: number[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 404 || (status !== undefined && statuses.includes(status))) return undefined;
    throw err;
  }
}
