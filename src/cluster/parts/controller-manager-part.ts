/**
 * The controller manager on its own (what `tugboat controller-manager` runs, as
 * kube-controller-manager): the controllers a Cluster runs, over any ApiContext (an
 * HttpApiContext to an API server in another process), optionally under leader election on
 * `kube-system/tugboat-controller-manager`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InformerFactory } from '../../client/informer-factory.js';
import type { ApiContext } from '../../client/types.js';
import { LocalVolumes } from '../../cloud-providers/local/local-volumes.js';
import { ControllerManager } from '../../controllers/runtime/controller-manager.js';
import { ClusterMetricsClient } from '../metrics-client.js';
import { CONTROLLER_MANAGER_LEASE } from '../leader-election.js';
import { ensureStandardStorageClass } from '../storage-class.js';
import { registerControllers } from './controllers.js';
import { runElected } from './elected.js';
import type { PartCommonOptions, RunningPart } from './types.js';

/** Options of {@link startControllerManager}. */
export interface ControllerManagerPartOptions extends PartCommonOptions {
  /** The API the controllers read and write through. */
  context: ApiContext;
  /** The cluster's name: where local volumes live (under the system temp folder). @default 'tugboat' */
  clusterName?: string;
  /**
   * How long a node may go without renewing its Lease before it is marked NotReady and tainted
   * (kube-controller-manager's --node-monitor-grace-period). @default 40_000
   */
  nodeMonitorGracePeriodMs?: number;
}

/** A started controller manager part. */
export interface ControllerManagerPart extends RunningPart {
  /** Its controller manager (register your own controllers before it leads). */
  readonly controllers: ControllerManager;
}

/**
 * Starts the controller manager part: registers the controllers, then runs them now, or once it
 * holds its Lease. HPA resource metrics are not read from agents in other processes (none yet).
 */
export async function startControllerManager(options: ControllerManagerPartOptions): Promise<ControllerManagerPart> {
  const { context } = options;
  const logger = options.logger;
  const informers = new InformerFactory(context, { logger });
  const controllers = new ControllerManager(context, { logger }, informers);
  const volumes = new LocalVolumes({ root: join(tmpdir(), 'tugboat-volumes', options.clusterName ?? 'tugboat') });
  registerControllers(controllers, {
    builtins: true,
    volumes,
    metrics: new ClusterMetricsClient({ podStats: async () => undefined }, context.clock),
    ...(options.nodeMonitorGracePeriodMs !== undefined ? { nodeLifecycle: { gracePeriodMs: options.nodeMonitorGracePeriodMs } } : {}),
  });
  const part = await runElected(
    context,
    {
      lease: CONTROLLER_MANAGER_LEASE,
      start: async () => {
        await ensureStandardStorageClass(context, volumes);
        await controllers.start();
      },
      stop: () => controllers.stop(),
      cleanup: () => informers.stop(),
    },
    options,
  );
  return Object.assign(part, { controllers });
}
