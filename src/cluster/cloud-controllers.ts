/** The controllers that drive a cloud provider's parts, one per part the provider offers. */
import type { CloudProvider } from '../cloud-providers/types.js';
import type { Controller } from '../controllers/runtime/types.js';
import { serviceLoadBalancerController } from '../controllers/service-lb/index.js';
import { nodeAutoscalerController } from '../controllers/node-autoscaler/index.js';

/** Drains a node before the autoscaler removes it (the cluster's `drain`). */
export type DrainNode = (node: string) => Promise<unknown>;

/** A controller for each part `provider` offers. */
export function cloudControllers(provider: CloudProvider, clusterName: string, drain: DrainNode): Controller[] {
  const controllers: Controller[] = [];
  if (provider.loadBalancers) controllers.push(serviceLoadBalancerController({ provider: provider.loadBalancers, clusterName }));
  if (provider.nodeGroups) controllers.push(nodeAutoscalerController({ provider: provider.nodeGroups, drain }));
  return controllers;
}
