/**
 * A fluent Pod fixture, as kube-scheduler's `st.MakePod()`:
 * `makePod('web').labels({ app: 'web' }).node('node-a').req({ cpu: '100m' }).obj()`.
 */
import type { Pod, core } from '../model/types.js';

/** Builds a Pod step by step; {@link PodBuilder.obj} hands out a fresh copy. */
export class PodBuilder {
  private readonly pod: Pod;

  /** A pod with one container `c` (image `img`), a fixed uid and creationTimestamp. */
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

  private affinity(): core.Affinity {
    return (this.spec.affinity ??= {});
  }

  /** Adds a container requesting `requests` (as kube-scheduler's `Req`). */
  req(requests: Record<string, string>): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'img', resources: { requests } });
    return this;
  }

  /** Adds an init container requesting `requests`; `sidecar` makes it a restartable (sidecar) one. */
  initReq(requests: Record<string, string>, sidecar = false): this {
    const init = (this.spec.initContainers ??= []);
    init.push({ name: `i${init.length}`, image: 'img', resources: { requests }, ...(sidecar ? { restartPolicy: 'Always' } : {}) });
    return this;
  }

  /** Replaces the containers with `containers`. */
  containers(...containers: core.Container[]): this {
    this.spec.containers = containers.map((c) => structuredClone(c));
    return this;
  }

  /** Sets the image of every container. */
  image(image: string): this {
    for (const c of this.spec.containers) c.image = image;
    return this;
  }

  /** Adds one label. */
  label(key: string, value: string): this {
    this.pod.metadata.labels![key] = value;
    return this;
  }

  /** Adds labels. */
  labels(labels: Record<string, string>): this {
    Object.assign(this.pod.metadata.labels!, labels);
    return this;
  }

  /** Binds the pod to a node (spec.nodeName). */
  node(name: string): this {
    this.spec.nodeName = name;
    return this;
  }

  /** Sets spec.priority. */
  priority(priority: number): this {
    this.spec.priority = priority;
    return this;
  }

  /** Sets status.startTime. */
  startTime(time: string): this {
    this.pod.status = { ...(this.pod.status ?? {}), startTime: time };
    return this;
  }

  /** Sets spec.nodeSelector. */
  nodeSelector(selector: Record<string, string>): this {
    this.spec.nodeSelector = selector;
    return this;
  }

  /** Adds a toleration. */
  toleration(toleration: core.Toleration): this {
    (this.spec.tolerations ??= []).push(toleration);
    return this;
  }

  /** Sets required node affinity to these terms. */
  nodeAffinity(terms: core.NodeSelectorTerm[]): this {
    const affinity = this.affinity();
    affinity.nodeAffinity = { ...affinity.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
    return this;
  }

  /** Adds a preferred node affinity term. */
  preferredNodeAffinity(weight: number, term: core.NodeSelectorTerm): this {
    const na = (this.affinity().nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: term });
    return this;
  }

  /** Adds a pod (anti-)affinity term: required, or preferred with `weight`. */
  podAffinity(topologyKey: string, matchLabels: Record<string, string>, kind: 'affinity' | 'anti' = 'affinity', weight?: number): this {
    const a = this.affinity();
    const term: core.PodAffinityTerm = { topologyKey, labelSelector: { matchLabels } };
    const holder = kind === 'affinity' ? (a.podAffinity ??= {}) : (a.podAntiAffinity ??= {});
    if (weight === undefined) (holder.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    else (holder.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }

  /** Adds a topology spread constraint. */
  spread(
    maxSkew: number,
    topologyKey: string,
    matchLabels: Record<string, string>,
    when: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule',
    minDomains?: number,
  ): this {
    (this.spec.topologySpreadConstraints ??= []).push({
      maxSkew,
      topologyKey,
      whenUnsatisfiable: when,
      labelSelector: { matchLabels },
      ...(minDomains ? { minDomains } : {}),
    });
    return this;
  }

  /** Marks the pod as being deleted (metadata.deletionTimestamp). */
  terminating(): this {
    (this.pod.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2026-01-01T00:00:00Z';
    return this;
  }

  /** The pod built so far (a copy: the builder can go on). */
  obj(): Pod {
    return structuredClone(this.pod);
  }
}

/** Starts a Pod fixture. */
export function makePod(name: string, namespace?: string): PodBuilder {
  return new PodBuilder(name, namespace);
}
