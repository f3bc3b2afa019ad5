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
import { TugboatError } from '../../model/errors.js';
import type { ConfigMap } from '../../model/types.js';
import { SERVING_CA_CONFIG_MAP } from '../../model/well-known.js';
import { type AgentEndpoint, startAgentEndpoint } from './agent-endpoint.js';

/** Options of {@link startAgentPart}. */
export interface AgentPartOptions {
  /** The API the agent registers, heartbeats and reports pod status through. */
  context: ApiContext;
  /** The cluster's name, on every sandbox and container it makes. @default 'tugboat' */
  clusterName?: string;
  /** The node: name, runtime, capacity, labels, taints, heartbeat interval and lease duration. */
  node: NodeSpec;
  /**
   * Serve the agent's endpoint (agent-endpoint.ts: logs, exec, port-forward for the API server)
   * on `host:port` (port 0: a free one), its port reported in the Node's daemonEndpoints; its
   * client CA is the cluster's, read from kube-system/tugboat-serving-ca. `false`: none (the API
   * server then cannot reach this agent's pods' logs). @default { host: '127.0.0.1', port: 0 }
   */
  endpoint?: { host?: string; port?: number } | false;
}

/** A started agent part. */
export interface AgentPart {
  readonly agent: NodeAgent;
  /** The runtime instance id the agent labels its objects with (kept on its Node across restarts). */
  readonly instanceId: string;
  /** The endpoint it serves (undefined with `endpoint: false`). */
  readonly endpoint: AgentEndpoint | undefined;
  /** Stops the agent and removes its containers (its Node stays, and goes NotReady). Idempotent. */
  stop(): Promise<void>;
}

/** Starts the node agent of `options.node`, resuming the runtime identity its Node keeps. */
export async function startAgentPart(options: AgentPartOptions): Promise<AgentPart> {
  const clusterName = options.clusterName ?? 'tugboat';
  const informers = new InformerFactory(options.context);
  const pool = new NodePool(options.context, clusterName, informers, { reclaimRuntimes: false, resumableIdentity: true });
  let stopped: Promise<void> | undefined;
  let endpoint: AgentEndpoint | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await endpoint?.close();
      await pool.stopAll();
      await informers.stop();
    })());
  try {
    const fresh = pool.instance.id;
    const kept = await resumeNodeRuntimeIdentity(options.context, options.node.name, clusterName, fresh);
    if (kept) pool.resumeInstance(kept);
    if (options.endpoint !== false) {
      const ca = await options.context.client<ConfigMap>('v1', 'ConfigMap', 'kube-system').find(SERVING_CA_CONFIG_MAP);
      const clientCa = ca?.data?.['ca.crt'];
      if (!clientCa)
        throw new TugboatError(
          'ServiceUnavailable',
          `kube-system/${SERVING_CA_CONFIG_MAP} has no ca.crt: the API server serves no CA to trust`,
        );
      endpoint = await startAgentEndpoint({ pool, context: options.context, clientCa, ...options.endpoint });
    }
    const agent = await pool.add({ ...options.node, ...(endpoint ? { kubeletPort: endpoint.port } : {}) });
    // A first start (no Node before it): the identity is stored now the agent has registered the Node.
    if (!kept) await resumeNodeRuntimeIdentity(options.context, options.node.name, clusterName, fresh);
    return { agent, instanceId: pool.instance.id, endpoint, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
