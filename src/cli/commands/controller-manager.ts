/**
 * `tugboat controller-manager`: the controllers (as kube-controller-manager) over the API server a
 * kubeconfig names, optionally one replica of several with `--leader-elect`.
 */
import { Command } from 'commander';
import { startControllerManager } from '../../cluster/parts/controller-manager-part.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { CliCommand, CliIo } from '../types.js';
import {
  connectPart,
  type LeaderElectOptions,
  leaderElectionOf,
  loggerOf,
  type PartOptions,
  runUntilStopped,
  withLeaderElectOptions,
  withPartOptions,
} from './part-options.js';

/** Options of `tugboat controller-manager`, as commander parses them. */
interface ControllerManagerOptions extends PartOptions, LeaderElectOptions {
  nodeMonitorGracePeriod: string;
  clusterName: string;
}

async function controllerManager(options: ControllerManagerOptions, io: CliIo): Promise<void> {
  const leaderElection = leaderElectionOf(options);
  const nodeMonitorGracePeriodMs = parseDurationFlag('--node-monitor-grace-period', options.nodeMonitorGracePeriod, 1);
  const logger = loggerOf(io, options);
  const context = await connectPart(io, options, 'controller-manager');
  let part: Awaited<ReturnType<typeof startControllerManager>>;
  try {
    part = await startControllerManager({ context, logger, leaderElection, nodeMonitorGracePeriodMs, clusterName: options.clusterName });
  } catch (err) {
    await context.close();
    throw err;
  }
  logger.info(
    { server: context.server, ...(leaderElection ? { lease: 'kube-system/tugboat-controller-manager' } : {}) },
    leaderElection ? 'controller manager started: campaigning for its Lease' : 'controller manager started',
  );
  await runUntilStopped(io, part, context);
  logger.info({}, 'controller manager stopped');
}

/** `tugboat controller-manager`: kube-controller-manager over a kubeconfig's API server. */
export const controllerManagerCommand: CliCommand = {
  name: 'controller-manager',
  create(io) {
    return withLeaderElectOptions(
      withPartOptions(
        new Command('controller-manager').description(
          "run the controllers (Deployment, ReplicaSet, node lifecycle, garbage collector, ...) against a kubeconfig's API server until Ctrl-C",
        ),
      ),
    )
      .option('--node-monitor-grace-period <duration>', 'how long a node may go without renewing its Lease before it is NotReady', '40s')
      .option('--cluster-name <name>', "the cluster's name (where local volumes live)", 'tugboat')
      .addHelpText('after', '\nExample:\n  tugboat controller-manager --kubeconfig ./admin.kubeconfig --leader-elect\n')
      .action((options: ControllerManagerOptions) => controllerManager(options, io));
  },
};
