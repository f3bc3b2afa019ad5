import type { Controller } from './runtime/types.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { rootCaPublisher, serviceAccountController } from './serviceaccount/index.js';
import { replicaSetController } from './replicaset.js';
import { deploymentController } from './deployment/controller.js';
import { nodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';
import { jobController } from './job/index.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { disruptionController, staleDisruptionController } from './disruption/index.js';
import { statefulSetController } from './statefulset/index.js';
import { persistentVolumeClaimController, persistentVolumeController, volumeExpandController } from './persistentvolume/index.js';
import type { VolumeProvider } from '../cloud-providers/types.js';
import { attachDetachController } from './attach-detach/index.js';
import { resourceQuotaController } from './resourcequota/index.js';

/**
 * The controllers every cluster runs unless started with `controllers: false` (`volumes`: the
 * cloud provider's, for the persistentvolume controller; `nodeLifecycle`: the node lifecycle
 * controller's grace period).
 */
export function builtinControllers(options: { volumes?: VolumeProvider; nodeLifecycle?: NodeLifecycleOptions } = {}): Controller[] {
  return [
    replicaSetController(),
    replicaSetController({ kind: 'ReplicationController' }),
    deploymentController(),
    nodeLifecycleController(options.nodeLifecycle),
    jobController(),
    cronJobController(),
    daemonSetController(),
    disruptionController(),
    serviceAccountController(),
    rootCaPublisher(),
    staleDisruptionController(),
    statefulSetController(),
    endpointsController(),
    endpointSliceController(),
    persistentVolumeClaimController({ volumes: options.volumes }),
    persistentVolumeController({ volumes: options.volumes }),
    volumeExpandController({ volumes: options.volumes }),
    attachDetachController({ volumes: options.volumes }),
    resourceQuotaController(),
  ];
}
