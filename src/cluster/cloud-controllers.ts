/** The controllers that drive a cloud provider's parts, one per part the provider offers. */
import type { CloudProvider } from '../cloud-providers/types.js';
import type { Controller } from '../controllers/runtime/types.js';
import { serviceLoadBalancerController } from '../controllers/service-lb/index.js';
import { nodeAutoscalerController, type NodeAutoscalerOptions } from '../controllers/node-autoscaler/index.js';
import type { PluginRegistry } from '../scheduler/registry.js';
import { schedulerSimulator } from './scheduling-simulator.js';

/** Drains a node before the autoscaler removes it (the cluster's `drain`). */
export type DrainNode = (node: string) => Promise<unknown>;

/** The cluster autoscaler's tunables (cluster-autoscaler's flags), as `Cluster.start({ clusterAutoscaler })` takes them. */
export type ClusterAutoscalerOptions = Pick<
  NodeAutoscalerOptions,
  'scaleDownUnneededTimeMs' | 'scaleDownUtilizationThreshold' | 'scaleDownDelayAfterAddMs'
>;

/** What the cloud controllers need from the cluster. */
export interface CloudControllerDeps {
  drain: DrainNode;
  /** The scheduler's plugins, which the autoscaler simulates pods with (the built-in ones without a scheduler). */
  registry?: PluginRegistry;
  /** Labels of the namespaces, for pod affinity namespaceSelectors in the simulation. */
  namespaces?: () => ReadonlyMap<string, Record<string, string> | undefined>;
  autoscaler?: ClusterAutoscalerOptions;
}

/** A controller for each part `provider` offers. */
export function cloudControllers(provider: CloudProvider, clusterName: string, deps: CloudControllerDeps): Controller[] {
  const controllers: Controller[] = [];
  if (provider.loadBalancers) controllers.push(serviceLoadBalancerController({ provider: provider.loadBalancers, clusterName }));
  if (provider.nodeGroups) {
    controllers.push(
      nodeAutoscalerController({
        ...(deps.autoscaler ?? {}),
        provider: provider.nodeGroups,
        drain: deps.drain,
        simulator: schedulerSimulator(deps.registry, deps.namespaces),
      }),
    );
  }
  return controllers;
}
