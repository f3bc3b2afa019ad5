/**
 * The node-loss scenario on Docker: two `tugboat agent --runtime docker` processes as two nodes
 * on one dockerd, with `tugboat apiserver`, `controller-manager` and `scheduler`. A Deployment of
 * 2 replicas spreads; `kubectl logs` and `kubectl exec` reach a pod on an agent through the API
 * server; SIGKILL of one agent moves its pod to the other after the (shortened) NotReady
 * tolerationSeconds, and the killed agent's containers are left on the daemon for it to adopt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { kinds } from '../../../src/client/kinds.js';
import { getCondition } from '../../../src/model/conditions.js';
import type { Deployment, Pod } from '../../../src/model/types.js';
import { TAINT_NODE_UNREACHABLE } from '../../../src/model/well-known.js';
import { eventually } from '../../../src/testing/eventually.js';
import { dockerForTests, TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { appContainers, removeLeftovers } from '../../support/docker-cluster.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';
import { readFileSync } from 'node:fs';
import { fileWritten, killAll, outputs, type Part, sigkill, spawnPart } from './parts.js';

const docker = await dockerForTests();
const clusterName = testClusterName('node-loss-docker');

const dir = mkdtempSync(join(tmpdir(), 'tugboat-distributed-docker-'));
const kubeconfig = join(dir, 'admin.kubeconfig');
const NODES = ['dock-a', 'dock-b'] as const;
/** Slow under load (every part is a node process with tsx): generous bounds, each loop bounded. */
const WAIT = { timeoutMs: 90_000, intervalMs: 200 };

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'sleeper', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'sleeper' } },
    template: {
      metadata: { labels: { app: 'sleeper' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        automountServiceAccountToken: false,
        // One per node while both are up (preferred, so both may share a node once one is gone).
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'sleeper' } } },
              },
            ],
          },
        },
        tolerations: [{ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }],
        containers: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'echo hello from the pod; exec sleep 3600'] }],
      },
    },
  },
};

describe.skipIf(!docker || !kubectlAvailable())('two tugboat agents on one dockerd as two nodes', () => {
  let ctx: HttpApiContext | undefined;
  const agents = new Map<string, Part>();

  beforeAll(async () => {
    const api = spawnPart('apiserver', [
      'apiserver',
      '--store',
      `sqlite:${join(dir, 'cluster.db')}`,
      '--port',
      '0',
      '--kubeconfig-out',
      kubeconfig,
    ]);
    await fileWritten(kubeconfig, api);
    spawnPart('controller-manager', ['controller-manager', '--kubeconfig', kubeconfig, '--node-monitor-grace-period', '3s']);
    spawnPart('scheduler', ['scheduler', '--kubeconfig', kubeconfig]);
    for (const node of NODES) {
      const args = ['agent', '--kubeconfig', kubeconfig, '--node', node, '--runtime', 'docker', '--cluster-name', clusterName];
      agents.set(node, spawnPart(`agent ${node}`, [...args, '--heartbeat-interval', '500ms', '--node-lease-duration-seconds', '3']));
    }
    ctx = await HttpApiContext.connect(kubeconfig);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    // What the SIGKILLed agent's pods left running (their owner is gone): killed and removed.
    await removeLeftovers(clusterName);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs a Deployment on both agents; SIGKILL of one: its Node NotReady and its pod moves to the other', {
    timeout: 300_000,
  }, async () => {
    const api = ctx!;
    const nodes = api.client(kinds.Node);
    const ready = async (name: string) => getCondition((await nodes.find(name))?.status?.conditions, 'Ready')?.status;
    for (const node of NODES) await eventually(async () => (await ready(node)) === 'True', `node ${node} Ready\n${outputs()}`, WAIT);

    await api.client(kinds.Deployment, 'default').create(deployment);
    const pods = api.client<Pod>('v1', 'Pod', 'default');
    const running = async () =>
      (await pods.list({ labelSelector: 'app=sleeper' })).items.filter(
        (p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
      );
    const placed = await eventually(
      async () => {
        const r = await running();
        return r.length === 2 && new Set(r.map((p) => p.spec?.nodeName)).size === 2 ? r : undefined;
      },
      `2 pods Running, one on each node\n${outputs()}`,
      WAIT,
    );
    expect(placed.map((p) => p.spec?.nodeName).sort()).toEqual([...NODES]);
    const lostPod = placed.find((p) => p.spec?.nodeName === NODES[0])!;
    // Logs and exec of a pod on an agent in another process, through the API server.
    const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
    try {
      const name = lostPod.metadata.name ?? '';
      await eventually(async () => (await kubectl.ok(['logs', name])).includes('hello from the pod'), `kubectl logs ${name}`, WAIT);
      expect(await kubectl.ok(['exec', name, '--', 'cat', '/etc/tugboat-version'])).toBe('1\n');
    } finally {
      kubectl.cleanup();
    }
    const lostContainers = (await appContainers(clusterName, { 'io.tugboat.node': NODES[0] })).map((c) => c.id);
    expect(lostContainers).toHaveLength(1);

    await sigkill(agents.get(NODES[0])!);
    await eventually(async () => (await ready(NODES[0])) === 'Unknown', `node ${NODES[0]} NotReady (Unknown)\n${outputs()}`, WAIT);
    // The controller writes the status, then the taints (two writes): wait for both.
    const unreachable = [`${TAINT_NODE_UNREACHABLE}:NoSchedule`, `${TAINT_NODE_UNREACHABLE}:NoExecute`];
    await eventually(
      async () => {
        const taints = (await nodes.get(NODES[0])).spec?.taints?.map((t) => `${t.key}:${t.effect}`) ?? [];
        return unreachable.every((t) => taints.includes(t));
      },
      `node ${NODES[0]} tainted unreachable\n${outputs()}`,
      WAIT,
    );
    expect(await ready(NODES[1])).toBe('True');

    const moved = await eventually(
      async () => {
        const r = await running();
        return r.length === 2 && r.every((p) => p.spec?.nodeName === NODES[1]) ? r : undefined;
      },
      `both pods Running on ${NODES[1]}\n${outputs()}`,
      WAIT,
    );
    expect(moved.map((p) => p.metadata.uid)).not.toContain(lostPod.metadata.uid);
    expect(await pods.find(lostPod.metadata.name ?? '')).toBeUndefined();
    // The killed agent's container is left on the daemon for it (the other agent never takes it).
    const left = await appContainers(clusterName, { 'io.tugboat.node': NODES[0] });
    expect(left.map((c) => c.id)).toEqual(lostContainers);
    expect(left[0]?.state).toBe('running');
  });
});
