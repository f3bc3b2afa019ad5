/** Shared setup of the Docker adapter's integration tests: a bound runtime and pods on it. */
import { request } from 'node:http';
import { RealClock } from '../../../../src/clock/real-clock.js';
import { DockerRuntime, type DockerRuntimeOptions } from '../../../../src/runtime-adapters/docker/index.js';
import { RUNTIME_LABELS, type ContainerConfig, type SandboxStatus } from '../../../../src/runtime-adapters/types.js';
import { dockerClient, TEST_IMAGE, testClusterName } from '../../../support/docker.js';

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

/** Polls until `fn` gives a value (not undefined/false) or fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An HTTP GET from this process: status and body. */
export function httpGet(host: string, port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Everything on the daemon labelled with the cluster: containers, volumes, networks. */
export async function leftovers(clusterName: string): Promise<string[]> {
  const docker = dockerClient();
  const filters = { label: [`${RUNTIME_LABELS.cluster}=${clusterName}`] };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }),
    docker.listNetworks({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
  ];
}

/** Removes every sandbox of the runtime's cluster (with its containers and volumes), then closes it. */
export async function cleanUp(runtime: DockerRuntime): Promise<void> {
  for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: runtime.clusterName })) {
    await runtime.removeSandbox(s.id);
  }
  await runtime.close();
}
