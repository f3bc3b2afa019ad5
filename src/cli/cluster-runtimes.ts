/**
 * The container runtimes `tugboat up` can put its nodes on, made one per node: Docker (the local
 * daemon), local processes (a state folder per node under a temporary folder) or the mock.
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

/** Makes `count` runtimes of `kind`. Docker's adapter (and dockerode) load only for `docker`. */
export async function makeNodeRuntimes(kind: RuntimeKind, count: number): Promise<NodeRuntimes> {
  if (kind === 'mock') return { runtimes: Array.from({ length: count }, () => new MockRuntime()), cleanup: async () => {} };
  if (kind === 'process') {
    const dir = await mkdtemp(join(tmpdir(), 'tugboat-up-'));
    const runtimes = Array.from({ length: count }, (_, i) => new ProcessRuntime({ stateDir: join(dir, `node-${i + 1}`) }));
    return { runtimes, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const { DockerRuntime } = await import('../runtime-adapters/docker/index.js').catch((err: Error) => {
    throw new TugboatError('ServiceUnavailable', `--runtime docker needs the dockerode package (npm install dockerode): ${err.message}`);
  });
  const runtimes = Array.from({ length: count }, () => new DockerRuntime());
  await runtimes[0]?.ping().catch((err: Error) => {
    throw new TugboatError('ServiceUnavailable', `--runtime docker: cannot reach the Docker daemon: ${err.message}`);
  });
  return { runtimes, cleanup: async () => {} };
}
