/** Shared setup of the Docker adapter's integration tests: a bound runtime and pods on it. */
import { RealClock } from '../../../../src/clock/real-clock.js';
import { DockerRuntime, type DockerRuntimeOptions } from '../../../../src/runtime-adapters/docker/index.js';
import { RUNTIME_LABELS, type ContainerConfig, type SandboxStatus } from '../../../../src/runtime-adapters/types.js';
import { TEST_IMAGE, testClusterName } from '../../../support/docker.js';

/** A runtime bound to a cluster unique to the calling test file. */
export function boundRuntime(file: string, options: DockerRuntimeOptions = {}): { runtime: DockerRuntime; clusterName: string } {
  const clusterName = testClusterName(file);
  const runtime = new DockerRuntime(options);
  runtime.bind({ clock: new RealClock(), clusterName, nodeName: 'it-node' });
  return { runtime, clusterName };
}

let seq = 0;

/** Runs a sandbox for a new pod; returns it with the labels its containers should carry. */
export async function newPod(runtime: DockerRuntime, ports: SandboxConfigPorts = []) {
  const n = ++seq;
  const uid = `${runtime.clusterName}-pod-${n}`;
  const labels = {
    [RUNTIME_LABELS.cluster]: runtime.clusterName,
    [RUNTIME_LABELS.podUid]: uid,
    [RUNTIME_LABELS.namespace]: 'it',
    [RUNTIME_LABELS.podName]: `pod-${n}`,
  };
  const sandbox = await runtime.runSandbox({ podUid: uid, namespace: 'it', podName: `pod-${n}`, hostname: `pod-${n}`, labels, ports });
  return { uid, sandbox, labels };
}

type SandboxConfigPorts = Parameters<DockerRuntime['runSandbox']>[0]['ports'];

/** A busybox container config running `script` with sh -c. */
export function shell(name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, image: TEST_IMAGE, command: ['sh', '-c', script], env: {}, mounts: [], ports: [], resources: {}, labels: {}, ...extra };
}

/** Creates and starts a container in a pod; returns its id. */
export async function runIn(runtime: DockerRuntime, sandbox: SandboxStatus, config: ContainerConfig): Promise<string> {
  const id = await runtime.createContainer(sandbox.id, config);
  await runtime.startContainer(id);
  return id;
}

/** Removes every sandbox of the runtime's cluster (with its containers and volumes), then closes it. */
export async function cleanUp(runtime: DockerRuntime): Promise<void> {
  for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: runtime.clusterName })) {
    await runtime.removeSandbox(s.id);
  }
  await runtime.close();
}
