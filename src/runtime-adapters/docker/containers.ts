import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RUNTIME_LABELS, type ContainerConfig, type ContainerStatus } from '../types.js';
import { toContainerStatus } from './container-status.js';
import { toContainerPlan, type ContainerPlan } from './container-config.js';
import { dockerStatus, ignoreStatus, toTugboatError } from './errors.js';
import { randomSuffix } from './sandbox.js';
import type { DockerScope } from './scope.js';

const subject = (id: string) => ({ kind: 'Container', name: id });

/**
 * Creates a container in a sandbox: prepares its emptyDir volumes and ConfigMap/Secret files,
 * then creates it joined to the sandbox's namespaces. Returns its id.
 */
export async function createContainer(scope: DockerScope, sandboxId: string, config: ContainerConfig): Promise<string> {
  let sandboxLabels: Record<string, string>;
  try {
    sandboxLabels = (await scope.docker.getContainer(sandboxId).inspect()).Config?.Labels ?? {};
  } catch (err) {
    throw toTugboatError(err, 'inspect', { kind: 'Sandbox', name: sandboxId });
  }
  const cluster = sandboxLabels[RUNTIME_LABELS.cluster] ?? scope.clusterName;
  const plan = toContainerPlan(config, {
    sandboxId,
    clusterName: cluster,
    nodeName: scope.nodeName,
    sandboxLabels,
    filesRoot: path.join(scope.stateDir, cluster, sandboxLabels[RUNTIME_LABELS.podUid] ?? sandboxId),
    nameSuffix: randomSuffix(),
  });
  await prepare(scope, plan);
  try {
    const c = await scope.docker.createContainer(plan.options);
    return c.id;
  } catch (err) {
    throw toTugboatError(err, 'create', subject(config.name));
  }
}

async function prepare(scope: DockerScope, plan: ContainerPlan): Promise<void> {
  for (const v of plan.volumes) {
    try {
      await scope.docker.createVolume({
        Name: v.name,
        Labels: v.labels,
        ...(v.memory ? { Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } } : {}),
      });
    } catch (err) {
      throw toTugboatError(err, 'create', { kind: 'Volume', name: v.name });
    }
  }
  for (const f of plan.files) {
    await mkdir(f.dir, { recursive: true });
    for (const [name, content] of Object.entries(f.files)) {
      const file = path.join(f.dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      await chmod(file, f.mode);
    }
  }
}

/** Starts a created container (a running one is left as is). */
export async function startContainer(scope: DockerScope, id: string): Promise<void> {
  try {
    await scope.docker.getContainer(id).start();
  } catch (err) {
    if (dockerStatus(err) === 304) return;
    throw toTugboatError(err, 'start', subject(id));
  }
}

/**
 * Stops a container: SIGTERM, SIGKILL after the grace period (docker stop with t = grace in
 * whole seconds, rounded up); resolves once it has exited. Idempotent (a gone or stopped
 * container is fine).
 */
export async function stopContainer(scope: DockerScope, id: string, graceMs: number): Promise<void> {
  const c = scope.docker.getContainer(id);
  try {
    await ignoreStatus(c.stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) }), 304);
    await ignoreStatus(c.wait({ condition: 'not-running' }));
  } catch (err) {
    throw toTugboatError(err, 'stop', subject(id));
  }
}

/** Removes a container (forcefully, with its anonymous volumes). Idempotent. */
export async function removeContainer(scope: DockerScope, id: string): Promise<void> {
  try {
    await scope.docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 404) return;
    if (status === 409 && /already in progress/.test(String((err as Error).message))) return;
    throw toTugboatError(err, 'remove', subject(id));
  }
}

/** One container's status; throws NotFound when it does not exist. */
export async function inspectContainer(scope: DockerScope, id: string): Promise<ContainerStatus> {
  try {
    return toContainerStatus(await scope.docker.getContainer(id).inspect());
  } catch (err) {
    throw toTugboatError(err, 'inspect', subject(id));
  }
}

/** Containers (any state, sandboxes excluded) whose labels include every given label. */
export async function listContainers(scope: DockerScope, labels: Record<string, string> = {}): Promise<ContainerStatus[]> {
  return scope.inspectAll('container', labels, (id) => inspectContainer(scope, id));
}
