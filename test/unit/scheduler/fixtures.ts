/**
 * Fluent fixtures for scheduler tests, as kube-scheduler's st.MakePod()/MakeNode().
 */
import type { Node, Pod, core } from '../../../src/model/types.js';

type Q = Record<string, string>;

/** Builds a Pod: makePod('p').req({ cpu: '100m' }).label('app', 'web').obj(). */
export class PodBuilder {
  private readonly pod: Pod;
  constructor(name: string, namespace = 'default') {
    this.pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels: {}, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'c', image: 'img' }] },
    };
  }
  private get spec(): core.PodSpec {
    return this.pod.spec!;
  }
  req(r: Q): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'img', resources: { requests: r } });
    return this;
  }
  initReq(r: Q, sidecar = false): this {
    (this.spec.initContainers ??= []).push({ name: `i${this.spec.initContainers?.length ?? 0}`, image: 'img', resources: { requests: r }, ...(sidecar ? { restartPolicy: 'Always' } : {}) });
    return this;
  }
  label(k: string, v: string): this {
    this.pod.metadata.labels![k] = v;
    return this;
  }
  node(n: string): this {
    this.spec.nodeName = n;
    return this;
  }
  priority(p: number): this {
    this.spec.priority = p;
    return this;
  }
  startTime(t: string): this {
    this.pod.status = { ...(this.pod.status ?? {}), startTime: t };
    return this;
  }
  nodeSelector(sel: Q): this {
    this.spec.nodeSelector = sel;
    return this;
  }
  toleration(t: core.Toleration): this {
    (this.spec.tolerations ??= []).push(t);
    return this;
  }
  nodeAffinity(terms: core.NodeSelectorTerm[]): this {
    this.affinity().nodeAffinity = { ...this.affinity().nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
    return this;
  }
  preferredNodeAffinity(weight: number, term: core.NodeSelectorTerm): this {
    const na = (this.affinity().nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: term });
    return this;
  }
  podAffinity(topologyKey: string, matchLabels: Q, kind: 'affinity' | 'anti' = 'affinity', weight?: number): this {
    const a = this.affinity();
    const term: core.PodAffinityTerm = { topologyKey, labelSelector: { matchLabels } };
    const holder = kind === 'affinity' ? (a.podAffinity ??= {}) : (a.podAntiAffinity ??= {});
    if (weight === undefined) (holder.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    else (holder.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }
  spread(maxSkew: number, topologyKey: string, matchLabels: Q, when: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule', minDomains?: number): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable: when, labelSelector: { matchLabels }, ...(minDomains ? { minDomains } : {}) });
    return this;
  }
  terminating(): this {
    (this.pod.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2026-01-01T00:00:00Z';
    return this;
  }
  private affinity(): core.Affinity {
    return (this.spec.affinity ??= {});
  }
  obj(): Pod {
    return structuredClone(this.pod);
  }
}

/** Builds a Node: makeNode('n1').capacity({ cpu: '4' }).label('zone', 'a').taint(...).obj(). */
export class NodeBuilder {
  private readonly node: Node;
  constructor(name: string) {
    this.node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
  }
  capacity(c: Q): this {
    this.node.status!.allocatable = { ...this.node.status!.allocatable, ...c };
    this.node.status!.capacity = { ...this.node.status!.allocatable };
    return this;
  }
  label(k: string, v: string): this {
    this.node.metadata.labels![k] = v;
    return this;
  }
  taint(key: string, value: string | undefined, effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' = 'NoSchedule'): this {
    (this.node.spec!.taints ??= []).push({ key, ...(value !== undefined ? { value } : {}), effect });
    return this;
  }
  unschedulable(): this {
    this.node.spec!.unschedulable = true;
    return this;
  }
  obj(): Node {
    return structuredClone(this.node);
  }
}

/** Starts a pod fixture. */
export const makePod = (name: string, namespace?: string) => new PodBuilder(name, namespace);
/** Starts a node fixture. */
export const makeNode = (name: string) => new NodeBuilder(name);
