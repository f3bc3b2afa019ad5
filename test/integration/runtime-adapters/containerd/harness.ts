/** Shared setup of the containerd adapter's integration tests: a bound runtime and pods on it. */
import { RealClock } from '../../../../src/clock/real-clock.js';
import { ContainerdRuntime, type ContainerdRuntimeOptions } from '../../../../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS, type ContainerConfig, type PortMapping, type SandboxStatus } from '../../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE } from '../../../support/containerd.js';
import { TEST_IMAGE, testClusterName } from '../../../support/docker.js';

/** A runtime in the test namespace bound to a cluster unique to the calling test file. */
export function boundRuntime(file: string, options: ContainerdRuntimeOptions = {}): { runtime: ContainerdRuntime; clusterName: string } {
  const clusterName = testClusterName(file);
  const runtime = new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE, ...options });
  runtime.bind({ clock: new RealClock(), clusterName, nodeName: 'it-node' });
  return { runtime, clusterName };
}

let seq = 0;

/** Runs a sandbox for a new pod; returns it with its uid and labels. */
export async function newPod(runtime: ContainerdRuntime, ports: PortMapping[] = [], hostNetwork = false) {
  const n = ++seq;
  const uid = `${runtime.clusterName}-pod-${n}`;
  const labels = {
    [RUNTIME_LABELS.cluster]: runtime.clusterName,
    [RUNTIME_LABELS.podUid]: uid,
    [RUNTIME_LABELS.namespace]: 'it',
    [RUNTIME_LABELS.podName]: `pod-${n}`,
  };
  const sandbox = await runtime.runSandbox({
    podUid: uid,
    namespace: 'it',
    podName: `pod-${n}`,
    hostname: `pod-${n}`,
    labels,
    ports,
    hostNetwork,
  });
  return { uid, sandbox, labels };
}

/** A busybox container config running `script` with sh -c. */
export function shell(name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, image: TEST_IMAGE, command: ['sh', '-c', script], env: {}, mounts: [], ports: [], resources: {}, labels: {}, ...extra };
}

/** Creates and starts a container in a pod; returns its id. */
export async function runIn(runtime: ContainerdRuntime, sandbox: SandboxStatus, config: ContainerConfig): Promise<string> {
  const id = await runtime.createContainer(sandbox.id, config);
  await runtime.startContainer(id);
  return id;
}

/** Removes every sandbox of the runtime's cluster (with its containers), then closes it. */
export async function cleanUp(runtime: ContainerdRuntime): Promise<void> {
  for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: runtime.clusterName })) await runtime.removeSandbox(s.id);
  await runtime.close();
}

/** Runs forever, exits 0 on SIGTERM. */
export const sleepy = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';
