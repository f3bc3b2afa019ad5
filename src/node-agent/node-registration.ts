/**
 * The node's own objects: the Node (labels, taints, capacity, allocatable, nodeInfo, addresses,
 * Ready condition) created or updated on start, and the heartbeat: the Lease in
 * kube-node-lease renewed every interval, and the Node's status written when it differs from what
 * the agent reports (ignoring heartbeat times: the node controller marking it Unknown, say) or
 * else every nodeStatusReportFrequency (5 minutes), as the kubelet does since node leases.
 */
import type { ApiContext } from '../client/types.js';
import { microTime, rfc3339 } from '../clock/time-format.js';
import { getCondition, transitioned } from '../model/conditions.js';
import { LABEL_ARCH, LABEL_ARCH_BETA, LABEL_HOSTNAME, LABEL_OS, LABEL_OS_BETA, NODE_LEASE_NAMESPACE } from '../model/well-known.js';
import type { Timer } from '../clock/types.js';
import { TugboatError } from '../model/errors.js';
import { jsonEqual } from '../model/json.js';
import type { core, Lease, Node } from '../model/types.js';
import type { NodeAgentOptions, NodeResources } from './types.js';

/** Default capacity of a node. */
const DEFAULT_CAPACITY = { cpu: '4', memory: '8Gi', pods: '110' } as const;

/** The namespace of node Leases. */

function resources(r: NodeResources | undefined, fallback: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...fallback };
  for (const [k, v] of Object.entries(r ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** The architecture label value of this process ('amd64', 'arm64'). */
function arch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** The Node's labels: the given ones plus kubernetes.io/hostname, os and arch. */
function nodeLabels(options: NodeAgentOptions): Record<string, string> {
  return {
    [LABEL_HOSTNAME]: options.name,
    [LABEL_OS]: 'linux',
    [LABEL_ARCH]: arch(),
    [LABEL_OS_BETA]: 'linux',
    [LABEL_ARCH_BETA]: arch(),
    ...(options.labels ?? {}),
  };
}

/** The Node's status as its agent reports it (Ready, capacity, nodeInfo, addresses). */
function nodeStatus(options: NodeAgentOptions, now: Date, prev?: core.NodeStatus, hostIP = '127.0.0.1'): core.NodeStatus {
  const capacity = resources(options.capacity, DEFAULT_CAPACITY);
  const allocatable = resources(options.allocatable, capacity);
  const t = rfc3339(now);
  const cond = (type: string, status: string, reason: string, message: string): core.NodeCondition =>
    transitioned(getCondition(prev?.conditions, type), { type, status, reason, message, lastHeartbeatTime: t }, t);
  return {
    capacity,
    allocatable,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: hostIP },
      { type: 'Hostname', address: options.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: options.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: options.name,
      systemUUID: options.name,
      bootID: options.name,
      kernelVersion: '',
      osImage: 'tugboat',
      containerRuntimeVersion: `${options.runtime.name}://tugboat`,
      kubeletVersion: 'v1.30.0-tugboat',
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: arch(),
    },
    ...(prev?.images ? { images: prev.images } : {}),
  };
}

/** Creates the Node or brings an existing one up to date (labels, taints merged, status written). */
export async function registerNode(ctx: ApiContext, options: NodeAgentOptions, hostIP: string): Promise<Node> {
  const client = ctx.client<Node>('v1', 'Node');
  const labels = nodeLabels(options);
  let node = await client.find(options.name);
  if (!node) {
    try {
      node = await client.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: options.name, labels },
        spec: { ...(options.taints?.length ? { taints: options.taints.map((t) => ({ ...t })) } : {}) },
      } as Node);
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists')) throw err;
      node = await client.get(options.name);
    }
  } else {
    const mine = options.taints ?? [];
    const kept = (node.spec?.taints ?? []).filter((t) => !mine.some((m) => m.key === t.key && m.effect === t.effect));
    const taints = [...kept, ...mine.map((t) => ({ ...t }))];
    node = await client.update({
      ...node,
      metadata: { ...node.metadata, labels: { ...(node.metadata.labels ?? {}), ...labels } },
      spec: { ...(node.spec ?? {}), taints },
    } as Node);
  }
  return writeNodeStatus(ctx, options, hostIP, node);
}

/** Writes the Node's status (fresh heartbeat times), retrying on Conflict; re-registers a deleted Node. */
async function writeNodeStatus(ctx: ApiContext, options: NodeAgentOptions, hostIP: string, node?: Node): Promise<Node> {
  const client = ctx.client<Node>('v1', 'Node');
  for (let attempt = 0; ; attempt++) {
    node ??= await client.find(options.name);
    if (!node) return registerNode(ctx, options, hostIP);
    try {
      return await client.updateStatus({ ...node, status: nodeStatus(options, ctx.clock.now(), node.status, hostIP) } as Node);
    } catch (err) {
      if (attempt >= 4 || !(TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'NotFound'))) throw err;
      node = undefined;
    }
  }
}

/**
 * True when the status the agent reports now differs from the Node's, heartbeat times aside
 * (the kubelet's nodeStatusHasChanged); only the fields the agent writes are compared.
 */
function statusChanged(current: core.NodeStatus | undefined, reported: core.NodeStatus): boolean {
  const withoutBeats = (conditions: core.NodeCondition[] | undefined) =>
    (conditions ?? []).map(({ lastHeartbeatTime: _beat, ...rest }) => rest);
  for (const [key, value] of Object.entries(reported)) {
    const was = current?.[key as keyof core.NodeStatus];
    const same =
      key === 'conditions'
        ? jsonEqual(withoutBeats(was as core.NodeCondition[]), withoutBeats(value as core.NodeCondition[]))
        : jsonEqual(was, value);
    if (!same) return true;
  }
  return false;
}

/** Renews the node's Lease every beat and writes the Node's status when it changed or is due, on the clock. */
export class Heartbeat {
  private timer?: Timer;
  private lease?: Lease;
  /** When the Node's status was last written (registration writes it before the first beat). */
  private lastReportMs = 0;
  private stopped = false;

  constructor(
    private readonly ctx: ApiContext,
    private readonly options: NodeAgentOptions,
    private readonly hostIP: string,
    private readonly nodeUid: () => string | undefined,
  ) {}

  /** Renews the Lease now, then every heartbeatIntervalMs. */
  async start(): Promise<void> {
    this.stopped = false;
    this.lastReportMs = this.ctx.clock.nowMs();
    await this.beat().catch(() => undefined);
  }

  /** Stops beating at once. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimeout(
      () =>
        void this.beat()
          .catch(() => undefined)
          .finally(() => undefined),
      this.options.heartbeatIntervalMs ?? 10_000,
    );
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renewLease();
      if (!this.stopped) await this.reportStatus();
    } finally {
      this.schedule();
    }
  }

  /** Writes the Node's status when it differs from the reported one or nodeStatusReportFrequency has passed. */
  private async reportStatus(): Promise<void> {
    const now = this.ctx.clock.now();
    const due = now.getTime() - this.lastReportMs >= (this.options.nodeStatusReportFrequencyMs ?? 300_000);
    const node = due ? undefined : await this.ctx.client<Node>('v1', 'Node').find(this.options.name);
    if (!due && node && !statusChanged(node.status, nodeStatus(this.options, now, node.status, this.hostIP))) return;
    await writeNodeStatus(this.ctx, this.options, this.hostIP, node);
    this.lastReportMs = now.getTime();
  }

  private async renewLease(): Promise<void> {
    const client = this.ctx.client<Lease>('coordination.k8s.io/v1', 'Lease', NODE_LEASE_NAMESPACE);
    const name = this.options.name;
    const spec = {
      holderIdentity: name,
      leaseDurationSeconds: this.options.leaseDurationSeconds ?? 40,
      renewTime: microTime(this.ctx.clock.now()),
    };
    for (let attempt = 0; attempt < 3 && !this.stopped; attempt++) {
      this.lease ??= await client.find(name);
      try {
        if (!this.lease) {
          const uid = this.nodeUid();
          this.lease = await client.create({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name,
              namespace: NODE_LEASE_NAMESPACE,
              ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }] } : {}),
            },
            spec,
          } as Lease);
        } else {
          this.lease = await client.update({ ...this.lease, spec: { ...(this.lease.spec ?? {}), ...spec } } as Lease);
        }
        return;
      } catch (err) {
        if (!(TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'NotFound') || TugboatError.is(err, 'AlreadyExists'))) throw err;
        this.lease = undefined;
      }
    }
  }
}
