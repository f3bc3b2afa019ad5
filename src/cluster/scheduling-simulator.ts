/**
 * The cluster autoscaler's scheduling simulation over the scheduler's own plugins (what
 * cluster-autoscaler's PredicateChecker does with kube-scheduler's framework): PreFilter once per
 * pod and snapshot state, then Filter on each node asked about. VolumeBinding is left out: it reads
 * claims through the API, and a template node has no volumes yet.
 */
import type { Node, Pod } from '../model/types.js';
import type { FitResult, SchedulingSimulator, SimulatedCluster } from '../controllers/node-autoscaler/types.js';
import { CycleState } from '../scheduler/types.js';
import { NodeInfoCache } from '../scheduler/node-info-cache.js';
import { podInfoOf } from '../scheduler/pod-info.js';
import { defaultRegistry, PluginRegistry } from '../scheduler/registry.js';
import { runFilters, runPreFilter } from '../scheduler/schedule-one.js';

/** Plugins that need more than the snapshot (the API) and are not simulated. */
const NOT_SIMULATED = new Set(['VolumeBinding']);

function simulationRegistry(source: PluginRegistry): PluginRegistry {
  const r = new PluginRegistry();
  const seen = new Set<string>();
  for (const p of [...source.preFilter, ...source.filter]) {
    if (seen.has(p.name) || NOT_SIMULATED.has(p.name)) continue;
    seen.add(p.name);
    r.register(source.get(p.name)!);
  }
  return r;
}

class Simulated implements SimulatedCluster {
  private readonly cache = new NodeInfoCache();

  constructor(
    private readonly registry: PluginRegistry,
    nodes: readonly Node[],
    pods: readonly Pod[],
    namespaces: ReadonlyMap<string, Record<string, string> | undefined>,
  ) {
    for (const [name, labels] of namespaces) this.cache.setNamespace(name, labels);
    for (const n of nodes) this.cache.setNode(n);
    for (const p of pods) if (p.spec?.nodeName) this.cache.setPod(p);
  }

  fit(pod: Pod, nodeNames: readonly string[]): FitResult {
    const state = new CycleState();
    const pre = runPreFilter(this.registry, pod, state, this.cache);
    if (pre) return { reasons: nodeNames.map(() => pre.reasons[0] ?? pre.code) };
    const reasons: string[] = [];
    for (const name of nodeNames) {
      const info = this.cache.nodeInfo(name);
      if (!info?.node) continue;
      const status = runFilters(this.registry, pod, info, state);
      if (!status) return { node: name, reasons };
      reasons.push(status.reasons[0] ?? status.code);
    }
    return { reasons };
  }

  place(pod: Pod, nodeName: string): void {
    this.cache.assumePod(podInfoOf(pod), nodeName);
  }

  addNode(node: Node): void {
    this.cache.setNode(node);
  }

  removeNode(name: string): void {
    const info = this.cache.nodeInfo(name);
    for (const key of [...(info?.pods.keys() ?? [])]) this.cache.forgetPod(key);
    this.cache.removeNode(name);
  }
}

/**
 * A simulator over `registry`'s PreFilter and Filter plugins (the cluster's scheduler's), or the
 * built-in ones.
 * @param namespaces labels of the namespaces (for pod affinity namespaceSelectors), read at each snapshot
 */
export function schedulerSimulator(
  registry: PluginRegistry = defaultRegistry(),
  namespaces: () => ReadonlyMap<string, Record<string, string> | undefined> = () => new Map(),
): SchedulingSimulator {
  let simulated: PluginRegistry | undefined;
  return {
    snapshot(nodes, pods) {
      simulated ??= simulationRegistry(registry);
      return new Simulated(simulated, nodes, pods, namespaces());
    },
  };
}
