/**
 * The control plane in separate processes: `tugboat apiserver` on SQLite, `tugboat
 * controller-manager`, `tugboat scheduler` and two `tugboat agent`s on the process runtime, each a
 * child process talking only through the HTTPS API. A Deployment of 2 replicas runs on both nodes;
 * one agent is SIGKILLed: its Node goes NotReady (unreachable, tainted) once its Lease is not
 * renewed, and its pod moves to the other node after its tolerationSeconds.
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
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { eventually } from '../../../src/testing/eventually.js';
import { fileWritten, killAll, outputs, type Part, sigkill, spawnPart } from './parts.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-distributed-'));
const kubeconfig = join(dir, 'admin.kubeconfig');
const NODES = ['dist-a', 'dist-b'] as const;
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
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
      },
    },
  },
};

describe('the control plane as separate processes (apiserver on SQLite, controller-manager, scheduler, 2 agents)', () => {
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
      const args = ['agent', '--kubeconfig', kubeconfig, '--node', node, '--runtime', 'process', '--state-dir', join(dir, node)];
      agents.set(node, spawnPart(`agent ${node}`, [...args, '--heartbeat-interval', '500ms', '--node-lease-duration-seconds', '3']));
    }
    ctx = await HttpApiContext.connect(kubeconfig);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    // What the SIGKILLed agent's pods left running (their owner is gone): killed and removed.
    for (const node of NODES) await new ProcessRuntime({ stateDir: join(dir, node) }).reclaim?.();
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
  });
});
