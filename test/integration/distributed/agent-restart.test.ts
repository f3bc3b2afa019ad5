/**
 * `tugboat agent` SIGKILLed and started again for the same node and runtime (a kubelet restart):
 * the new agent resumes the runtime identity kept on its Node and adopts the running container
 * (same container id, not restarted, restartCount unchanged) instead of sweeping it as a gone
 * owner's. On the process runtime and on Docker, against a `tugboat apiserver` child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import type { Node, Pod } from '../../../src/model/types.js';
import { RUNTIME_INSTANCE_ANNOTATION } from '../../../src/model/well-known.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { eventually } from '../../../src/testing/eventually.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { appContainers, removeLeftovers } from '../../support/docker-cluster.js';
import { fileWritten, killAll, outputs, type Part, sigkill, spawnPart } from './parts.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-agent-restart-'));
const kubeconfig = join(dir, 'admin.kubeconfig');
const WAIT = { timeoutMs: 90_000, intervalMs: 200 };
const docker = await dockerForTests();
const dockerCluster = testClusterName('agent-restart');

/** A pod bound to `node` (no scheduler runs), sleeping. */
const sleeper = (name: string, node: string, image: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      // No controller manager runs: no default ServiceAccount, no kube-root-ca.crt.
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image, command: ['sleep', '3600'] }],
    },
  }) as Pod;

/** The pod's one container status once it runs: its id and restart count. */
async function runningContainer(ctx: HttpApiContext, name: string): Promise<{ id: string; restarts: number } | undefined> {
  const pod = await ctx.client<Pod>('v1', 'Pod', 'default').find(name);
  const s = pod?.status?.containerStatuses?.[0];
  return s?.state?.running && s.containerID ? { id: s.containerID, restarts: s.restartCount } : undefined;
}

/** Starts `tugboat agent` for `node` and resolves once it says it started. */
async function startAgent(node: string, args: string[]): Promise<Part> {
  const part = spawnPart(`agent ${node}`, ['agent', '--kubeconfig', kubeconfig, '--node', node, '--heartbeat-interval', '500ms', ...args]);
  await eventually(
    async () => {
      if (part.child.exitCode !== null) throw new Error(`agent ${node} exited:\n${part.output()}`);
      return part.output().includes('node agent started');
    },
    `agent ${node} started\n${outputs()}`,
    WAIT,
  );
  return part;
}

describe('a tugboat agent restarted after SIGKILL', () => {
  let ctx: HttpApiContext | undefined;

  beforeAll(async () => {
    const api = spawnPart('apiserver', ['apiserver', '--port', '0', '--kubeconfig-out', kubeconfig]);
    await fileWritten(kubeconfig, api);
    ctx = await HttpApiContext.connect(kubeconfig);
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    await new ProcessRuntime({ stateDir: join(dir, 'restart-p') }).reclaim?.({ olderThanMs: 0 }); // this test's own folder, whatever its owner
    if (docker) await removeLeftovers(dockerCluster);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** Runs a pod, SIGKILLs the agent, starts it again: the same container runs on, never restarted. */
  async function adopts(node: string, image: string, args: string[], runtimeIds: () => Promise<string[]>): Promise<void> {
    const api = ctx!;
    const first = await startAgent(node, args);
    await api.client<Pod>('v1', 'Pod', 'default').create(sleeper(`${node}-pod`, node, image));
    const before = await eventually(() => runningContainer(api, `${node}-pod`), `${node}-pod Running\n${outputs()}`, WAIT);
    const idsBefore = await runtimeIds();
    expect(idsBefore).toHaveLength(1);
    const annotation = (await api.client<Node>('v1', 'Node').get(node)).metadata.annotations?.[RUNTIME_INSTANCE_ANNOTATION];
    expect(annotation).toBeDefined();

    await sigkill(first);
    // The killed agent left its container running.
    expect(await runtimeIds()).toEqual(idsBefore);
    await startAgent(node, args);
    // The new agent's identity is the one kept on the Node.
    expect((await api.client<Node>('v1', 'Node').get(node)).metadata.annotations?.[RUNTIME_INSTANCE_ANNOTATION]).toBe(annotation);
    // Its start-up sweep is over once it says it started; its pod worker has run within a resync: a
    // new container (no adoption) would be there by then. Watch for a while that none appears.
    for (let i = 0; i < 20; i++) {
      expect(await runtimeIds()).toEqual(idsBefore);
      expect(await runningContainer(api, `${node}-pod`)).toEqual(before);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(before.restarts).toBe(0);
  }

  it('adopts its running process on the process runtime (same state dir)', { timeout: 240_000 }, async () => {
    const stateDir = join(dir, 'restart-p');
    const runtime = new ProcessRuntime({ stateDir });
    const ids = async () =>
      (await runtime.listContainers({}))
        .filter((c) => c.state === 'running')
        .map((c) => c.id)
        .sort();
    await adopts('restart-p', 'busybox', ['--runtime', 'process', '--state-dir', stateDir], ids);
  });

  it.skipIf(!docker)('adopts its running container on Docker', { timeout: 240_000 }, async () => {
    const ids = async () =>
      (await appContainers(dockerCluster))
        .filter((c) => c.state === 'running')
        .map((c) => c.id)
        .sort();
    await adopts('restart-d', TEST_IMAGE, ['--runtime', 'docker', '--cluster-name', dockerCluster], ids);
  });
});
