import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import type { DockerRuntimeOptions } from './types.js';

/** The message when dockerode, an optional peer dependency needed only by `tugboat/docker`, is not installed. */
export const DOCKERODE_MISSING =
  "tugboat/docker needs the 'dockerode' package, an optional peer dependency of tugboat that is not installed: run `npm install dockerode`";

/**
 * Loads dockerode with `require` (it is CommonJS), so that importing `tugboat/docker` without it
 * fails with {@link DOCKERODE_MISSING} instead of a bare module-not-found, in the ESM and the
 * CommonJS build alike. Only this folder loads dockerode: `tugboat` itself never does.
 */
export function loadDockerode(load: (id: string) => unknown = createRequire(import.meta.url)): typeof Docker {
  try {
    return load('dockerode') as typeof Docker;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes("'dockerode'")) throw new Error(DOCKERODE_MISSING, { cause: err });
    throw err;
  }
}

const DockerClient = loadDockerode();

/**
 * The options dockerode's modem understands, as plain data: the connection fields of
 * DockerRuntimeOptions under the same names, plus `timeout` (from `timeoutMs`).
 */
export type ModemOptions = Pick<
  DockerRuntimeOptions,
  'socketPath' | 'host' | 'port' | 'protocol' | 'ca' | 'cert' | 'key' | 'username' | 'sshOptions' | 'version'
> & { timeout?: number };

/**
 * Maps DockerRuntimeOptions to dockerode's constructor options. Only what the user gave is set,
 * so dockerode's own defaults (DOCKER_HOST, then the local socket) apply otherwise; an explicit
 * socket path clears a host that DOCKER_HOST would bring in.
 */
export function toModemOptions(options: DockerRuntimeOptions): ModemOptions {
  const out: ModemOptions = {};
  if (options.socketPath) {
    out.socketPath = options.socketPath;
    out.host = undefined;
  } else if (options.host) {
    out.host = options.host;
    if (options.port !== undefined) out.port = options.port;
    if (options.protocol) out.protocol = options.protocol;
    if (options.ca !== undefined) out.ca = options.ca;
    if (options.cert !== undefined) out.cert = options.cert;
    if (options.key !== undefined) out.key = options.key;
    if (options.username !== undefined) out.username = options.username;
    if (options.protocol === 'ssh' || options.sshAuthAgent || options.sshOptions) {
      out.sshOptions = {
        ...(options.sshAuthAgent ? { agent: options.sshAuthAgent } : {}),
        ...options.sshOptions,
      };
    }
  }
  if (options.version) out.version = options.version;
  if (options.timeoutMs !== undefined) out.timeout = options.timeoutMs;
  return out;
}

/** Opens a dockerode client for the options (no request is made yet). */
export function connect(options: DockerRuntimeOptions): Docker {
  return new DockerClient(toModemOptions(options) as Docker.DockerOptions);
}

/**
 * The address at which this process reaches ports published on the daemon's host: the TCP/SSH
 * host, else 127.0.0.1 (a local socket).
 */
export function daemonAddress(options: DockerRuntimeOptions): string {
  if (options.socketPath) return '127.0.0.1';
  if (options.host) return options.host;
  const env = process.env.DOCKER_HOST;
  if (env && !env.startsWith('unix://') && !env.startsWith('npipe://')) {
    try {
      return new URL(env.includes('//') ? env : `tcp://${env}`).hostname || '127.0.0.1';
    } catch {
      return '127.0.0.1';
    }
  }
  return '127.0.0.1';
}

/**
 * The daemon address the options lead to, for messages: the socket path or `DOCKER_HOST` or
 * `protocol://host:port`, else the platform's default socket.
 */
export function describeDaemon(options: DockerRuntimeOptions): string {
  if (options.socketPath) return `unix://${options.socketPath}`;
  if (options.host) return `${options.protocol ?? 'http'}://${options.host}${options.port !== undefined ? `:${options.port}` : ''}`;
  if (process.env.DOCKER_HOST) return `${process.env.DOCKER_HOST} (from DOCKER_HOST)`;
  return process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}
