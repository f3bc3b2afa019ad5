/**
 * A node agent on its own (what `tugboat agent` runs, as the kubelet): registers its Node over
 * any ApiContext, heartbeats through its Lease in kube-node-lease, runs the pods bound to it on
 * its runtime. When its process dies the heartbeats stop: the node lifecycle controller (in the
 * controller manager, wherever it runs) marks the Node NotReady and its pods move.
 */
import { InformerFactory } from '../../client/informer-factory.js';
import type { ApiContext } from '../../client/types.js';
import type { NodeAgent } from '../../node-agent/node-agent.js';
import { NodePool, type NodeSpec } from '../node-pool.js';

/** Options of {@link startAgentPart}. */
export interface AgentPartOptions {
  /** The API the agent registers, heartbeats and reports pod status through. */
  context: ApiContext;
  /** The cluster's name, on every sandbox and container it makes. @default 'tugboat' */
  clusterName?: string;
  /** The node: name, runtime, capacity, labels, taints, heartbeat interval and lease duration. */
  node: NodeSpec;
}

/** A started agent part. */
export interface AgentPart {
  readonly agent: NodeAgent;
  /** Stops the agent and removes its containers (its Node stays, and goes NotReady). Idempotent. */
  stop(): Promise<void>;
}

/** Starts the node agent of `options.node`. */
export async function startAgentPart(options: AgentPartOptions): Promise<AgentPart> {
  const informers = new InformerFactory(options.context);
  const pool = new NodePool(options.context, options.clusterName ?? 'tugboat', informers);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await pool.stopAll();
      await informers.stop();
    })());
  try {
    const agent = await pool.add(options.node);
    return { agent, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
