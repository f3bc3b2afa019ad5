/** The service controller's load-balancer loop and its pure decisions. */
export { serviceLoadBalancerController, SERVICE_CONTROLLER_COMPONENT, type ServiceLoadBalancerControllerOptions } from './controller.js';
export {
  LOAD_BALANCER_CLEANUP_FINALIZER,
  EXCLUDE_FROM_LOAD_BALANCERS_LABEL,
  servesClass,
  wantsLoadBalancer,
  hasCleanupFinalizer,
  resolveTargetPort,
  isEndpoint,
  loadBalancerPorts,
  loadBalancerNodes,
} from './backends.js';
