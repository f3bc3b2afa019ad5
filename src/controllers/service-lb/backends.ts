/**
 * What a Service's load balancer should forward to, as pure functions: whether the service
 * controller wants a balancer for a Service, its ports with their Ready endpoints, and the nodes
 * a balancer may use (k8s.io/cloud-provider/controllers/service).
 */
import type { Node, Pod, Service } from '../../model/types.js';
import type { LoadBalancerNode, LoadBalancerPort, LoadBalancerProvider } from '../../cloud-providers/types.js';
import { isPodReady } from '../util/pods.js';

/** The finalizer that keeps a Service until its load balancer is released. */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

/** Nodes with this label get no load-balancer traffic, as in Kubernetes. */
export const EXCLUDE_FROM_LOAD_BALANCERS_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Whether `provider` serves this Service's loadBalancerClass (absent: the default class). */
export function servesClass(provider: LoadBalancerProvider, service: Service): boolean {
  const cls = service.spec?.loadBalancerClass;
  if (cls === undefined || cls === null || cls === '') return provider.serveDefaultClass !== false;
  return provider.classes?.includes(cls) ?? false;
}

/** Whether the Service should have a balancer from `provider` now (type LoadBalancer, its class, not deleting). */
export function wantsLoadBalancer(provider: LoadBalancerProvider, service: Service): boolean {
  return service.spec?.type === 'LoadBalancer' && !service.metadata.deletionTimestamp && servesClass(provider, service);
}

/** Whether the Service holds the cleanup finalizer. */
export function hasCleanupFinalizer(service: Service): boolean {
  return service.metadata.finalizers?.includes(LOAD_BALANCER_CLEANUP_FINALIZER) ?? false;
}

/** The container port a Service port's targetPort names on a pod (by number, or by container port name). */
export function resolveTargetPort(
  targetPort: number | string | undefined,
  servicePort: number,
  protocol: string,
  pod: Pod,
): number | undefined {
  if (targetPort === undefined || targetPort === '' || targetPort === 0) return servicePort;
  if (typeof targetPort === 'number') return targetPort;
  if (/^\d+$/.test(targetPort)) return Number(targetPort);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === targetPort && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Whether a pod is an endpoint of a Service: has an IP, is not terminating, and is Ready (or the Service publishes not-ready ones). */
export function isEndpoint(service: Service, pod: Pod): boolean {
  if (!pod.status?.podIP || pod.metadata.deletionTimestamp) return false;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return service.spec?.publishNotReadyAddresses === true || isPodReady(pod);
}

/**
 * The Service's ports with their endpoints among `pods` (those its selector matches, already
 * filtered by the caller), sorted so equal inputs give equal outputs.
 */
export function loadBalancerPorts(service: Service, pods: readonly Pod[]): LoadBalancerPort[] {
  const endpoints = pods.filter((p) => isEndpoint(service, p));
  return (service.spec?.ports ?? []).map((sp) => {
    const protocol = (sp.protocol ?? 'TCP') as LoadBalancerPort['protocol'];
    const backends = endpoints
      .map((pod) => ({
        ip: pod.status!.podIP!,
        port: resolveTargetPort(sp.targetPort, sp.port, protocol, pod),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      }))
      .filter((e): e is { ip: string; port: number; nodeName?: string } => e.port !== undefined)
      .sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
    return {
      ...(sp.name ? { name: sp.name } : {}),
      protocol,
      port: sp.port,
      ...(sp.nodePort ? { nodePort: sp.nodePort } : {}),
      endpoints: backends,
    };
  });
}

/** The nodes a balancer may send traffic to: Ready, not excluded by label, sorted by name. */
export function loadBalancerNodes(nodes: readonly Node[]): LoadBalancerNode[] {
  return nodes
    .filter((n) => !n.metadata.deletionTimestamp)
    .filter((n) => n.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS_LABEL] === undefined)
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => {
      const addresses = n.status?.addresses ?? [];
      const address = (addresses.find((a) => a.type === 'InternalIP') ?? addresses[0])?.address;
      return { name: n.metadata.name ?? '', ...(address ? { address } : {}) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
