/**
 * What a controller manager runs, whatever process it is in: the API's CRD cleanup, the garbage
 * collector and the namespace controller (always), then, unless turned off, the built-in
 * controllers and the HPA controller (with a second loop for autoscaling/v1 objects when the API
 * keeps them apart from v2's). `Cluster` and `tugboat controller-manager` register the same set.
 */
import type { ResourceType } from '../../model/resource-type.js';
import { storeResourceOf } from '../../model/resource-type.js';
import type { VolumeProvider } from '../../cloud-providers/types.js';
import { builtinControllers } from '../../controllers/builtin.js';
import { crdCleanupController } from '../../controllers/crd-cleanup/index.js';
import { GarbageCollector } from '../../controllers/garbage-collector/garbage-collector.js';
import { horizontalPodAutoscalerController } from '../../controllers/hpa/index.js';
import type { MetricsClient } from '../../controllers/hpa/types.js';
import { NamespaceController } from '../../controllers/namespace/namespace-controller.js';
import type { NodeLifecycleOptions } from '../../controllers/node-lifecycle.js';
import type { ControllerManager } from '../../controllers/runtime/controller-manager.js';

/** What {@link registerControllers} needs. */
export interface ControllerSet {
  /** Register the built-in controllers and the HPA controller (else only the three always on). */
  builtins: boolean;
  /** The volumes part the persistentvolume and attach-detach controllers drive. */
  volumes: VolumeProvider;
  /** Where the HPA controller reads metrics. */
  metrics: MetricsClient;
  /** The kind the API serves for apiVersion/kind, if any (to tell whether autoscaling/v1 is stored apart). */
  findKind(apiVersion: string, kind: string): ResourceType | undefined;
  /** The node lifecycle controller's grace period (kube-controller-manager's --node-monitor-grace-period). */
  nodeLifecycle?: NodeLifecycleOptions;
}

/** Registers the controller manager's controllers (see the file comment). */
export function registerControllers(manager: ControllerManager, set: ControllerSet): void {
  // The API's own controller (it runs in Kubernetes' apiextensions server): CRD deletion.
  manager.register(crdCleanupController());
  // Always on (also with `controllers: false`): they find every kind through discovery.
  manager.register(new GarbageCollector());
  manager.register(new NamespaceController());
  if (!set.builtins) return;
  for (const c of builtinControllers({ volumes: set.volumes, nodeLifecycle: set.nodeLifecycle })) manager.register(c);
  manager.register(horizontalPodAutoscalerController({ metrics: set.metrics }));
  // autoscaling/v1 objects kept apart from v2 ones (not one collection converted on read) get their own loop.
  const v1 = set.findKind('autoscaling/v1', 'HorizontalPodAutoscaler');
  const v2 = set.findKind('autoscaling/v2', 'HorizontalPodAutoscaler');
  if (v1 && (!v2 || storeResourceOf(v1) !== storeResourceOf(v2))) {
    manager.register(horizontalPodAutoscalerController({ metrics: set.metrics, version: 'v1' }));
  }
}
