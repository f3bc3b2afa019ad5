/**
 * The control plane in separate processes: `tugboat apiserver` on SQLite, `tugboat
 * controller-manager`, `tugboat scheduler` and two `tugboat agent`s on the process runtime, each a
 * child process talking only through the HTTPS API. A Deployment of 2 replicas runs on both nodes;
 * one agent is SIGKILLed: its Node goes NotReady (unreachable, tainted) once its Lease is not
 * renewed, and its pod moves to the other node after its tolerationSeconds (node-loss-scenario.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { killAll, type Part } from './parts.js';
import { type NodePair, sleeperDeployment, spawnNodeLossParts, spreadThenKill } from './node-loss-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-distributed-'));
const NODES: NodePair = ['dist-a', 'dist-b'];

describe('the control plane as separate processes (apiserver on SQLite, controller-manager, scheduler, 2 agents)', () => {
  let ctx: HttpApiContext | undefined;
  let agents = new Map<string, Part>();

  beforeAll(async () => {
    const parts = await spawnNodeLossParts(dir, NODES, (node) => ['--runtime', 'process', '--state-dir', join(dir, node)]);
    agents = parts.agents;
    ctx = await HttpApiContext.connect(parts.kubeconfig);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    // What the SIGKILLed agent's pods left running: kept for its restart (its identity is resumable),
    // so no sweep takes them; this test's own state folders are reclaimed whatever their owner.
    for (const node of NODES) await new ProcessRuntime({ stateDir: join(dir, node) }).reclaim?.({ olderThanMs: 0 });
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs a Deployment on both agents; SIGKILL of one: its Node NotReady and its pod moves to the other', {
    timeout: 300_000,
  }, async () => {
    const deployment = sleeperDeployment({ name: 'main', image: 'busybox', command: ['sleep', '3600'] });
    await spreadThenKill(ctx!, { nodes: NODES, agents, deployment });
  });
});
