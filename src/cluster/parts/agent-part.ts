/**
 * A node agent on its own (what `tugboat agent` runs, as the kubelet): registers its Node over
 * any ApiContext, heartbeats through its Lease in kube-node-lease, runs the pods bound to it on
 * its runtime. When its process dies the heartbeats stop: the node lifecycle controller (in the
 * controller manager, wherever it runs) marks the Node NotReady and its pods move. Its runtime
 * identity is kept on its Node, so an agent restarted for the same node and runtime adopts the
 * containers the killed one left running (same ids, no restart), as the kubelet does.
 */
import { InformerFactory } from '../../client/informer-factory.js';
import type { ApiContext } from '../../client/types.js';
import type { NodeAgent } from '../../node-agent/node-agent.js';
import { resumeNodeRuntimeIdentity } from '../cluster-identity.js';
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
  /** The runtime instance id the agent labels its objects with (kept on its Node across restarts). */
  readonly instanceId: string;
  /** Stops the agent and removes its containers (its Node stays, and goes NotReady). Idempotent. */
  stop(): Promise<void>;
}

/** Starts the node agent of `options.node`, resuming the runtime identity its Node keeps. */
export async function startAgentPart(options: AgentPartOptions): Promise<AgentPart> {
  const clusterName = options.clusterName ?? 'tugboat';
  const informers = new InformerFactory(options.context);
  const pool = new NodePool(options.context, clusterName, informers, { reclaimRuntimes: false });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await pool.stopAll();
      await informers.stop();
    })());
  try {
    const fresh = pool.instance.id;
    const kept = await resumeNodeRuntimeIdentity(options.context, options.node.name, clusterName, fresh);
    if (kept) pool.resumeInstance(kept);
    const agent = await pool.add(options.node);
    // A first start (no Node before it): the identity is stored now the agent has registered the Node.
    if (!kept) await resumeNodeRuntimeIdentity(options.context, options.node.name, clusterName, fresh);
    return { agent, instanceId: pool.instance.id, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
