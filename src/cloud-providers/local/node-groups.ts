/**
 * The local provider's node groups: each group adds and removes tugboat nodes on a container
 * runtime of this machine, named `<group>-<n>` and labelled `tugboat.io/node-group=<group>`.
 * The cluster hands it a {@link CloudHost} when it starts; groups are then brought to minSize.
 */
import { TugboatError } from '../../model/errors.js';
import type { ContainerRuntime } from '../../runtime-adapters/types.js';
import type { CloudHost, NodeGroup, NodeGroupProvider, NodeTemplate } from '../types.js';

/** The label naming a node's group. */
export const NODE_GROUP_LABEL = 'tugboat.io/node-group';

/**
 * A local node group: its name, bounds, and the template of its nodes with their runtime: one
 * runtime all nodes share (MockRuntime, ProcessRuntime), or a function making each node its own
 * (`() => new DockerRuntime()`: a Docker runtime serves one node).
 */
export interface LocalNodeGroupSpec {
  name: string;
  min: number;
  max: number;
  template: NodeTemplate & {
    /** The runtime of the group's nodes, or a function making each node its own. */
    runtime: ContainerRuntime | ((nodeName: string) => ContainerRuntime);
  };
}

interface GroupState {
  spec: LocalNodeGroupSpec;
  members: Set<string>;
  next: number;
}

/** Node groups of tugboat nodes on local runtimes: the node-group part of the local provider. */
export class LocalNodeGroups implements NodeGroupProvider {
  private readonly states = new Map<string, GroupState>();
  private host: CloudHost | undefined;

  constructor(specs: readonly LocalNodeGroupSpec[]) {
    specs.forEach((spec, i) => {
      const field = `nodeGroups[${i}]`;
      if (!spec || typeof spec.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(spec.name)) {
        throw TugboatError.badRequest(`${field}.name: Invalid value: ${JSON.stringify(spec?.name)}: must be a DNS label`);
      }
      if (!Number.isInteger(spec.min) || spec.min < 0)
        throw TugboatError.badRequest(`${field}.min: Invalid value: ${spec.min}: must be an integer >= 0`);
      if (!Number.isInteger(spec.max) || spec.max < spec.min)
        throw TugboatError.badRequest(`${field}.max: Invalid value: ${spec.max}: must be an integer >= min`);
      if (!spec.template?.runtime) throw TugboatError.badRequest(`${field}.template.runtime: Required value`);
      if (this.states.has(spec.name)) throw TugboatError.badRequest(`${field}.name: Duplicate value: ${JSON.stringify(spec.name)}`);
      this.states.set(spec.name, { spec, members: new Set(), next: 1 });
    });
  }

  /** Receives the cluster and brings every group to its minSize. */
  async attach(host: CloudHost): Promise<void> {
    this.host = host;
    for (const s of this.states.values()) {
      if (s.members.size < s.spec.min) await this.increaseSize(s.spec.name, s.spec.min - s.members.size);
    }
  }

  /** Forgets the cluster (its nodes stop with it). */
  detach(): void {
    this.host = undefined;
    for (const s of this.states.values()) s.members.clear();
  }

  async groups(): Promise<NodeGroup[]> {
    return [...this.states.values()].map(({ spec }) => {
      const { runtime: _runtime, ...template } = spec.template;
      return {
        id: spec.name,
        minSize: spec.min,
        maxSize: spec.max,
        template: { ...template, labels: { ...(template.labels ?? {}), [NODE_GROUP_LABEL]: spec.name } },
      };
    });
  }

  async targetSize(groupId: string): Promise<number> {
    return this.state(groupId).members.size;
  }

  async nodes(groupId: string): Promise<string[]> {
    return [...this.state(groupId).members].sort();
  }

  async increaseSize(groupId: string, delta: number): Promise<void> {
    const s = this.state(groupId);
    if (!Number.isInteger(delta) || delta <= 0) throw TugboatError.badRequest(`delta: Invalid value: ${delta}: must be a positive integer`);
    if (s.members.size + delta > s.spec.max) {
      throw TugboatError.badRequest(`size increase too large: desired ${s.members.size + delta}, max ${s.spec.max} (group ${groupId})`);
    }
    const host = this.requireHost();
    const { runtime, capacity, allocatable, labels, taints } = s.spec.template;
    for (let i = 0; i < delta; i++) {
      const name = `${groupId}-${s.next++}`;
      s.members.add(name);
      try {
        await host.addNode({
          name,
          runtime: typeof runtime === 'function' ? runtime(name) : runtime,
          ...(capacity ? { capacity } : {}),
          ...(allocatable ? { allocatable } : {}),
          labels: { ...(labels ?? {}), [NODE_GROUP_LABEL]: groupId },
          ...(taints ? { taints } : {}),
        });
      } catch (err) {
        s.members.delete(name);
        throw err;
      }
    }
  }

  async deleteNodes(groupId: string, nodeNames: string[]): Promise<void> {
    const s = this.state(groupId);
    for (const n of nodeNames) if (!s.members.has(n)) throw TugboatError.badRequest(`node ${n} is not in group ${groupId}`);
    if (s.members.size - nodeNames.length < s.spec.min) {
      throw TugboatError.badRequest(
        `size decrease too large: desired ${s.members.size - nodeNames.length}, min ${s.spec.min} (group ${groupId})`,
      );
    }
    const host = this.requireHost();
    for (const n of nodeNames) {
      await host.removeNode(n);
      s.members.delete(n);
    }
  }

  private state(groupId: string): GroupState {
    const s = this.states.get(groupId);
    if (!s) throw TugboatError.notFound({ kind: 'NodeGroup' }, groupId);
    return s;
  }

  private requireHost(): CloudHost {
    if (!this.host) throw new TugboatError('ServiceUnavailable', 'the node groups are not attached to a running cluster');
    return this.host;
  }
}
