/**
 * The container runtimes `tugboat up` and `tugboat agent` can put nodes on, made one per node:
 * Docker (the local daemon, or the one `--docker-host` names), local processes (a state folder per
 * node under a temporary folder, or the one `--state-dir` names) or the mock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TugboatError } from '../model/errors.js';
import { MockRuntime } from '../runtime-adapters/mock/index.js';
import { ProcessRuntime } from '../runtime-adapters/process/index.js';
import type { ContainerRuntime } from '../runtime-adapters/types.js';

/** The runtimes `tugboat up --runtime` takes. */
export const RUNTIME_KINDS = ['docker', 'process', 'mock'] as const;

/** One of {@link RUNTIME_KINDS}. */
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/** A runtime for each node, and what removes the files they made once the cluster has stopped. */
export interface NodeRuntimes {
  runtimes: ContainerRuntime[];
  cleanup(): Promise<void>;
}

/** Checks a `--runtime` value: one of {@link RUNTIME_KINDS}, else Invalid naming the flag. */
export function parseRuntimeKind(value: string): RuntimeKind {
  if ((RUNTIME_KINDS as readonly string[]).includes(value)) return value as RuntimeKind;
  throw new TugboatError('Invalid', `--runtime: unsupported value "${value}": must be one of ${RUNTIME_KINDS.join(', ')}`, {
    causes: [{ field: '--runtime', reason: 'FieldValueNotSupported', message: `supported values: ${RUNTIME_KINDS.join(', ')}` }],
  });
}

/** Where the runtime of one node (`tugboat agent`) keeps its state or finds its daemon. */
export interface NodeRuntimeOptions {
  /** The process runtime's state folder (kept after stop): a restarted agent adopts its processes. @default a new temporary folder */
  stateDir?: string;
  /** The Docker daemon: `unix:///path/to.sock` or `tcp://HOST:PORT`. @default dockerode's (DOCKER_HOST, then the local socket) */
  dockerHost?: string;
}

/** The runtime of one node of `kind` (see {@link NodeRuntimeOptions}); Invalid naming `--docker-host` when unusable. */
export async function makeNodeRuntime(kind: RuntimeKind, options: NodeRuntimeOptions = {}): Promise<NodeRuntimes> {
  if (kind === 'process' && options.stateDir) {
    return { runtimes: [new ProcessRuntime({ stateDir: options.stateDir })], cleanup: async () => {} };
  }
  if (kind !== 'docker' || !options.dockerHost) return makeNodeRuntimes(kind, 1);
  const url = URL.canParse(options.dockerHost) ? new URL(options.dockerHost) : undefined;
  const connection =
    url?.protocol === 'unix:'
      ? { socketPath: url.pathname }
      : url?.protocol === 'tcp:' && url.hostname
        ? { host: url.hostname, port: url.port || '2375' }
        : undefined;
  if (!connection) {
    const message = 'must be unix:///path/to/docker.sock or tcp://HOST:PORT';
    throw new TugboatError('Invalid', `--docker-host: invalid value "${options.dockerHost}": ${message}`, {
      causes: [{ field: '--docker-host', reason: 'FieldValueInvalid', message }],
    });
  }
  return makeDockerRuntimes(1, connection);
}

/** Makes `count` runtimes of `kind`. Docker's adapter (and dockerode) load only for `docker`. */
export async function makeNodeRuntimes(kind: RuntimeKind, count: number): Promise<NodeRuntimes> {
  if (kind === 'mock') return { runtimes: Array.from({ length: count }, () => new MockRuntime()), cleanup: async () => {} };
  if (kind === 'process') {
    const dir = await mkdtemp(join(tmpdir(), 'tugboat-up-'));
    const runtimes = Array.from({ length: count }, (_, i) => new ProcessRuntime({ stateDir: join(dir, `node-${i + 1}`) }));
    return { runtimes, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  return makeDockerRuntimes(count);
}

/** Makes `count` Docker runtimes over one daemon, checking it answers. */
async function makeDockerRuntimes(
  count: number,
  connection: { socketPath?: string; host?: string; port?: string } = {},
): Promise<NodeRuntimes> {
  const { DockerRuntime } = await import('../runtime-adapters/docker/index.js').catch((err: Error) => {
    throw new TugboatError('ServiceUnavailable', `--runtime docker needs the dockerode package (npm install dockerode): ${err.message}`);
  });
  const runtimes = Array.from({ length: count }, () => new DockerRuntime(connection));
  await runtimes[0]?.ping().catch((err: Error) => {
    throw new TugboatError('ServiceUnavailable', `--runtime docker: cannot reach the Docker daemon: ${err.message}`);
  });
  return { runtimes, cleanup: async () => {} };
}
