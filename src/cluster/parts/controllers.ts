/**
 * What a controller manager runs, whatever process it is in: the API's CRD cleanup, the garbage
 * collector and the namespace controller (always), then, unless turned off, the built-in
 * controllers and the HPA controller (autoscaling/v1 objects are v2 ones served through the API's
 * conversion, so one loop serves both). `Cluster` and `tugboat controller-manager` register the same set.
 */
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
}
