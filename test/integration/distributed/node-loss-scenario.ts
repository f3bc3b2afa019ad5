/**
 * The node-loss scenario of the distributed tests, on whichever runtime the agents run: `tugboat
 * apiserver` on SQLite, `controller-manager` (a 3 s node-monitor grace period), `scheduler` and
 * two agents (heartbeats every 500 ms, 3 s leases) as child processes (parts.ts); a Deployment of 2
 * replicas spreads one pod to each node; SIGKILL of the first node's agent: its Node goes NotReady
 * (Unknown) and is tainted unreachable, the other stays Ready, and its pod is replaced on the
 * other node after the pods' 2 s tolerationSeconds. node-loss.test.ts runs it on the process
 * runtime, node-loss-docker.test.ts on Docker (with its own checks before and after the kill).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { kinds } from '../../../src/client/kinds.js';
import type { ApiContext } from '../../../src/client/types.js';
import { getCondition } from '../../../src/model/conditions.js';
import type { core, Deployment, Pod } from '../../../src/model/types.js';
import { TAINT_NODE_UNREACHABLE } from '../../../src/model/well-known.js';
import { eventually } from '../../../src/testing/eventually.js';
import { fileWritten, outputs, type Part, sigkill, spawnPart } from './parts.js';

/** Slow under load (every part is a node process with tsx): generous bounds, each loop bounded. */
export const WAIT = { timeoutMs: 90_000, intervalMs: 200 };

/** The two nodes of the scenario: the first one's agent is killed. */
export type NodePair = readonly [lost: string, kept: string];

/**
 * The Deployment `sleeper` (2 replicas of `container`, label app=sleeper): one pod per node while
 * both are up (preferred anti-affinity, so both may share a node once one is gone), a 1 s grace
 * period, and 2 s of tolerating the unreachable NoExecute taint. `spec` adds to the pod spec.
 */
export function sleeperDeployment(container: core.Container, spec: Partial<core.PodSpec> = {}): Deployment {
  return {
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
          ...spec,
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
          containers: [container],
        },
      },
    },
  };
}

/**
 * Spawns the control plane (apiserver on SQLite in `dir`, controller-manager, scheduler) and one
 * agent per node, with `agentArgs(node)` choosing its runtime; resolves once the API server has
 * written `dir`/admin.kubeconfig, with that path and the agents by node name.
 */
export async function spawnNodeLossParts(
  dir: string,
  nodes: NodePair,
  agentArgs: (node: string) => string[],
): Promise<{ kubeconfig: string; agents: Map<string, Part> }> {
  const kubeconfig = join(dir, 'admin.kubeconfig');
  const store = `sqlite:${join(dir, 'cluster.db')}`;
  const api = spawnPart('apiserver', ['apiserver', '--store', store, '--port', '0', '--kubeconfig-out', kubeconfig]);
  await fileWritten(kubeconfig, api);
  spawnPart('controller-manager', ['controller-manager', '--kubeconfig', kubeconfig, '--node-monitor-grace-period', '3s']);
  spawnPart('scheduler', ['scheduler', '--kubeconfig', kubeconfig]);
  const agents = new Map<string, Part>();
  for (const node of nodes) {
    const args = ['agent', '--kubeconfig', kubeconfig, '--node', node, ...agentArgs(node)];
    agents.set(node, spawnPart(`agent ${node}`, [...args, '--heartbeat-interval', '500ms', '--node-lease-duration-seconds', '3']));
  }
  return { kubeconfig, agents };
}

/** What {@link spreadThenKill} saw. */
export interface NodeLoss {
  /** The pod that ran on the lost node (deleted by the end). */
  lostPod: Pod;
  /** The 2 pods Running on the kept node at the end. */
  moved: Pod[];
}

/**
 * Runs the scenario through `api`: waits for both Nodes Ready, creates `deployment` (from
 * {@link sleeperDeployment}), waits for its 2 pods Running one on each node, calls `beforeKill`
 * with the lost node's pod, SIGKILLs that node's agent, and checks the Node turns Unknown and
 * tainted unreachable (NoSchedule and NoExecute) while the other stays Ready, then that both pods
 * run on the kept node and the lost pod is gone (a replacement, not the same uid).
 */
export async function spreadThenKill(
  api: ApiContext,
  options: { nodes: NodePair; agents: Map<string, Part>; deployment: Deployment; beforeKill?: (lostPod: Pod) => Promise<void> },
): Promise<NodeLoss> {
  const [lost, kept] = options.nodes;
  const nodes = api.client(kinds.Node);
  const ready = async (name: string) => getCondition((await nodes.find(name))?.status?.conditions, 'Ready')?.status;
  for (const node of options.nodes) await eventually(async () => (await ready(node)) === 'True', `node ${node} Ready\n${outputs()}`, WAIT);

  await api.client(kinds.Deployment, 'default').create(options.deployment);
  const pods = api.client<Pod>('v1', 'Pod', 'default');
  const running = async () =>
    (await pods.list({ labelSelector: 'app=sleeper' })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  const placed = await eventually(
    async () => {
      const r = await running();
      return r.length === 2 && new Set(r.map((p) => p.spec?.nodeName)).size === 2 ? r : undefined;
    },
    `2 pods Running, one on each node\n${outputs()}`,
    WAIT,
  );
  expect(placed.map((p) => p.spec?.nodeName).sort()).toEqual([...options.nodes].sort());
  const lostPod = placed.find((p) => p.spec?.nodeName === lost)!;
  await options.beforeKill?.(lostPod);

  await sigkill(options.agents.get(lost)!);
  await eventually(async () => (await ready(lost)) === 'Unknown', `node ${lost} NotReady (Unknown)\n${outputs()}`, WAIT);
  // The controller writes the status, then the taints (two writes): wait for both.
  const unreachable = [`${TAINT_NODE_UNREACHABLE}:NoSchedule`, `${TAINT_NODE_UNREACHABLE}:NoExecute`];
  await eventually(
    async () => {
      const taints = (await nodes.get(lost)).spec?.taints?.map((t) => `${t.key}:${t.effect}`) ?? [];
      return unreachable.every((t) => taints.includes(t));
    },
    `node ${lost} tainted unreachable\n${outputs()}`,
    WAIT,
  );
  expect(await ready(kept)).toBe('True');

  const moved = await eventually(
    async () => {
      const r = await running();
      return r.length === 2 && r.every((p) => p.spec?.nodeName === kept) ? r : undefined;
    },
    `both pods Running on ${kept}\n${outputs()}`,
    WAIT,
  );
  expect(moved.map((p) => p.metadata.uid)).not.toContain(lostPod.metadata.uid);
  expect(await pods.find(lostPod.metadata.name ?? '')).toBeUndefined();
  return { lostPod, moved };
}
