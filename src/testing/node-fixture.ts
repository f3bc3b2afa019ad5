/**
 * A fluent Node fixture, as kube-scheduler's `st.MakeNode()`:
 * `makeNode('node-a').capacity({ cpu: '4' }).label('zone', 'a').taint('gpu', 'true').obj()`.
 */
import type { Node } from '../model/types.js';
import { LABEL_HOSTNAME } from '../model/well-known.js';

/** Builds a Node step by step; {@link NodeBuilder.obj} hands out a fresh copy. */
export class NodeBuilder {
  private readonly node: Node;

  /** A Ready node with the hostname label and 4 CPUs, 8Gi and 110 pods allocatable. */
  constructor(name: string) {
    this.node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { [LABEL_HOSTNAME]: name } },
      spec: {},
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
  }

  /** Sets allocatable (merged over the defaults) and capacity to the same. */
  capacity(resources: Record<string, string>): this {
    this.node.status!.allocatable = { ...this.node.status!.allocatable, ...resources };
    this.node.status!.capacity = { ...this.node.status!.allocatable };
    return this;
  }

  /** Adds one label. */
  label(key: string, value: string): this {
    this.node.metadata.labels![key] = value;
    return this;
  }

  /** Adds labels. */
  labels(labels: Record<string, string>): this {
    Object.assign(this.node.metadata.labels!, labels);
    return this;
  }

  /** Adds a taint. */
  taint(key: string, value: string | undefined, effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' = 'NoSchedule'): this {
    (this.node.spec!.taints ??= []).push({ key, ...(value !== undefined ? { value } : {}), effect });
    return this;
  }

  /** Cordons the node (spec.unschedulable). */
  unschedulable(): this {
    this.node.spec!.unschedulable = true;
    return this;
  }

  /** Sets the Ready condition's status. */
  ready(status: 'True' | 'False' | 'Unknown'): this {
    const others = (this.node.status!.conditions ?? []).filter((c) => c.type !== 'Ready');
    this.node.status!.conditions = [...others, { type: 'Ready', status }];
    return this;
  }

  /** The node built so far (a copy: the builder can go on). */
  obj(): Node {
    return structuredClone(this.node);
  }
}

/** Starts a Node fixture. */
export function makeNode(name: string): NodeBuilder {
  return new NodeBuilder(name);
}
