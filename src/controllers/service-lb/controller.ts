/**
 * The service controller's load-balancer loop (k8s.io/cloud-provider/controllers/service): for
 * every Service of type LoadBalancer whose class the provider serves it ensures a balancer through
 * the provider, keeps it in step with the Service's ports, endpoints and nodes, writes
 * status.loadBalancer, and holds the `service.kubernetes.io/load-balancer-cleanup` finalizer so a
 * deleted Service (or one no longer of type LoadBalancer) always has its balancer released. A
 * failing provider call is recorded as a Warning Event and retried with the work queue's back-off.
 */
import type { Node, Pod, Service } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { kinds } from '../../client/kinds.js';
import type { LoadBalancerProvider, LoadBalancerRequest } from '../../cloud-providers/types.js';
import type { Controller, ReconcileContext } from '../runtime/types.js';
import { jsonEqual } from '../../model/json.js';
import {
  LOAD_BALANCER_CLEANUP_FINALIZER,
  hasCleanupFinalizer,
  servesClass,
  loadBalancerNodes,
  loadBalancerPorts,
  wantsLoadBalancer,
} from './backends.js';

/** The component name of the service controller's Events. */
export const SERVICE_CONTROLLER_COMPONENT = 'service-controller';

/** Options of {@link serviceLoadBalancerController}. */
export interface ServiceLoadBalancerControllerOptions {
  /** The provider's load-balancer part. */
  provider: LoadBalancerProvider;
  /** The cluster's name, passed to every provider call. */
  clusterName: string;
  /** The controller's name. @default 'service-lb' */
  name?: string;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const keyOf = (s: Service): string => `${s.metadata.namespace}/${s.metadata.name}`;

/** The service controller's load-balancer loop over `provider`. */
export function serviceLoadBalancerController(options: ServiceLoadBalancerControllerOptions): Controller {
  const { provider, clusterName } = options;
  /** What each Service's balancer was last ensured with (by uid): spec part and target part. */
  const synced = new Map<string, { spec: string; targets: string }>();

  async function servicesSelecting(pod: Pod, cache: ReconcileContext['cache']): Promise<Service[]> {
    const services = await cache.list(kinds.Service, { namespace: pod.metadata.namespace });
    return services.filter((s) => {
      const sel = s.spec?.selector;
      if (s.spec?.type !== 'LoadBalancer' || !sel || Object.keys(sel).length === 0) return false;
      return Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v);
    });
  }

  async function release(ctx: ReconcileContext, svc: Service): Promise<void> {
    const client = ctx.client(kinds.Service, svc.metadata.namespace);
    await ctx.events.record(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer', SERVICE_CONTROLLER_COMPONENT);
    try {
      await provider.delete(clusterName, svc);
    } catch (err) {
      await ctx.events.record(
        svc,
        'Warning',
        'SyncLoadBalancerFailed',
        `Error syncing load balancer: failed to delete load balancer: ${message(err)}`,
        SERVICE_CONTROLLER_COMPONENT,
      );
      throw err;
    }
    await ctx.events.record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', SERVICE_CONTROLLER_COMPONENT);
    synced.delete(svc.metadata.uid ?? '');
    try {
      if (!svc.metadata.deletionTimestamp && (svc.status?.loadBalancer?.ingress?.length ?? 0) > 0) {
        await client.patchStatus(svc.metadata.name ?? '', { status: { loadBalancer: { ingress: null } } }, 'merge');
      }
      await client.patch(
        svc.metadata.name ?? '',
        { metadata: { '$deleteFromPrimitiveList/finalizers': [LOAD_BALANCER_CLEANUP_FINALIZER] } },
        'strategic',
      );
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    }
  }

  async function ensure(ctx: ReconcileContext, svc: Service): Promise<void> {
    const client = ctx.client(kinds.Service, svc.metadata.namespace);
    let current = svc;
    if (!hasCleanupFinalizer(svc)) {
      // The finalizer goes on before any balancer exists, so none can outlive its Service.
      current = await client.update({
        ...svc,
        metadata: { ...svc.metadata, finalizers: [...(svc.metadata.finalizers ?? []), LOAD_BALANCER_CLEANUP_FINALIZER] },
      });
    }
    const selector = svc.spec?.selector;
    const pods =
      selector && Object.keys(selector).length > 0
        ? await ctx.cache.list(kinds.Pod, { namespace: svc.metadata.namespace, labelSelector: { matchLabels: selector } })
        : [];
    const nodes = await ctx.cache.list<Node>(kinds.Node);
    const request: LoadBalancerRequest = {
      clusterName,
      service: current,
      ports: loadBalancerPorts(current, pods),
      nodes: loadBalancerNodes(nodes),
    };
    const spec = JSON.stringify([current.spec?.ports, current.spec?.loadBalancerIP, current.spec?.loadBalancerSourceRanges]);
    const targets = JSON.stringify([request.ports.map((p) => p.endpoints), request.nodes]);
    const uid = current.metadata.uid ?? '';
    const last = synced.get(uid);
    if (last && last.spec === spec && last.targets === targets && current.status?.loadBalancer?.ingress?.length) return;
    const specChanged = !last || last.spec !== spec;
    if (specChanged)
      await ctx.events.record(current, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', SERVICE_CONTROLLER_COMPONENT);
    let status: Awaited<ReturnType<LoadBalancerProvider['ensure']>>;
    try {
      status = await provider.ensure(request);
    } catch (err) {
      synced.delete(uid);
      await ctx.events.record(
        current,
        'Warning',
        specChanged ? 'SyncLoadBalancerFailed' : 'UpdateLoadBalancerFailed',
        specChanged
          ? `Error syncing load balancer: failed to ensure load balancer: ${message(err)}`
          : `Error updating load balancer with new hosts: ${message(err)}`,
        SERVICE_CONTROLLER_COMPONENT,
      );
      throw err;
    }
    if (specChanged)
      await ctx.events.record(current, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', SERVICE_CONTROLLER_COMPONENT);
    else
      await ctx.events.record(
        current,
        'Normal',
        'UpdatedLoadBalancer',
        'Updated load balancer with new hosts',
        SERVICE_CONTROLLER_COMPONENT,
      );
    if (!jsonEqual(current.status?.loadBalancer ?? {}, status)) {
      await client.patchStatus(current.metadata.name ?? '', { status: { loadBalancer: { ingress: status.ingress ?? null } } }, 'merge');
    }
    synced.set(uid, { spec, targets });
  }

  return {
    name: options.name ?? 'service-lb',
    for: kinds.Service,
    watches: [
      { ...kinds.Pod, map: async (obj, cache) => (await servicesSelecting(obj as Pod, cache)).map(requestOf) },
      {
        ...kinds.Node,
        map: async (_obj, cache) => (await cache.list(kinds.Service)).filter((s) => s.spec?.type === 'LoadBalancer').map(requestOf),
      },
    ],
    async reconcile(request, ctx) {
      const svc = await ctx.cache.get(kinds.Service, request.namespace, request.name);
      if (!svc) return;
      if (wantsLoadBalancer(provider, svc)) {
        await ensure(ctx, svc);
        return;
      }
      // Kubernetes' needsCleanup: only a Service this controller marked is released.
      if (hasCleanupFinalizer(svc) && servesClass(provider, svc)) await release(ctx, svc);
      else ctx.log.debug({ service: keyOf(svc) }, 'not a load balancer of this provider');
    },
  };
}

function requestOf(s: Service): { namespace: string; name: string } {
  return { namespace: s.metadata.namespace ?? 'default', name: s.metadata.name ?? '' };
}
