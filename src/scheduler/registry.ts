/**
 * The plugin registry: plugins by unique name, and the ordered lists of each phase the
 * framework runs. A duplicate name is an error.
 */
import { TugboatError } from '../model/errors.js';
import type { AnyPlugin, FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from './types.js';
import { nodeNamePlugin } from './plugins/node-name.js';
import { nodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
import { nodeResourcesFitPlugin } from './plugins/node-resources-fit.js';
import { nodePortsPlugin } from './plugins/node-ports.js';
import { nodeAffinityPlugin } from './plugins/node-affinity.js';
import { taintTolerationPlugin } from './plugins/taint-toleration.js';
import { interPodAffinityPlugin } from './plugins/inter-pod-affinity.js';
import { podTopologySpreadPlugin } from './plugins/pod-topology-spread.js';
import { leastAllocatedPlugin } from './plugins/least-allocated.js';
import { balancedAllocationPlugin } from './plugins/balanced-allocation.js';

/** Plugins registered by name; the framework reads the phase lists from it. */
export class PluginRegistry {
  private readonly byName = new Map<string, AnyPlugin>();
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: ScorePlugin[] = [];

  /**
   * Adds a plugin to every phase it implements (preFilter, filter, preScore, score).
   * @throws TugboatError (Invalid) when the name is empty or taken
   */
  register(plugin: AnyPlugin): this {
    const name = plugin?.name;
    if (typeof name !== 'string' || name === '') {
      throw TugboatError.invalid({ kind: 'SchedulerPlugin' }, String(name), [
        { field: 'name', message: 'a plugin needs a non-empty name' },
      ]);
    }
    if (this.byName.has(name)) {
      throw TugboatError.invalid({ kind: 'SchedulerPlugin' }, name, [
        { field: 'name', message: `a plugin named "${name}" is registered already` },
      ]);
    }
    const w = plugin.weight;
    if (w !== undefined && (typeof w !== 'number' || !Number.isFinite(w) || w < 0)) {
      throw TugboatError.invalid({ kind: 'SchedulerPlugin' }, name, [{ field: 'weight', message: 'must be a non-negative number' }]);
    }
    this.byName.set(name, plugin);
    if (typeof plugin.preFilter === 'function') this.preFilter.push(plugin as PreFilterPlugin);
    if (typeof plugin.filter === 'function') this.filter.push(plugin as FilterPlugin);
    if (typeof plugin.preScore === 'function') this.preScore.push(plugin as PreScorePlugin);
    if (typeof plugin.score === 'function') this.score.push(plugin as ScorePlugin);
    return this;
  }

  /** The plugin of that name, if registered. */
  get(name: string): AnyPlugin | undefined {
    return this.byName.get(name);
  }

  /** Names in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The built-in plugins, in kube-scheduler's default order and with its default score weights. */
export function defaultPlugins(): AnyPlugin[] {
  return [
    nodeUnschedulablePlugin(),
    nodeNamePlugin(),
    taintTolerationPlugin(),
    nodeAffinityPlugin(),
    nodePortsPlugin(),
    nodeResourcesFitPlugin(),
    podTopologySpreadPlugin(),
    interPodAffinityPlugin(),
    leastAllocatedPlugin(),
    balancedAllocationPlugin(),
  ];
}

/** A registry with the built-in plugins, then `extra` (e.g. user plugins). */
export function defaultRegistry(extra: readonly AnyPlugin[] = []): PluginRegistry {
  const r = new PluginRegistry();
  for (const p of defaultPlugins()) r.register(p);
  for (const p of extra) r.register(p);
  return r;
}
