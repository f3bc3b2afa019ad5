/**
 * `tugboat controller-manager`: the controllers (as kube-controller-manager) over the API server a
 * kubeconfig names, optionally one replica of several with `--leader-elect`.
 */
import { Command } from 'commander';
import { CONTROLLER_MANAGER_LEASE } from '../../cluster/leader-election.js';
import { startControllerManager } from '../../cluster/parts/controller-manager-part.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { CliCommand, CliIo } from '../types.js';
import { type LeaderElectOptions, type PartOptions, runElectedPart, withLeaderElectOptions, withPartOptions } from './part-options.js';

/** Options of `tugboat controller-manager`, as commander parses them. */
interface ControllerManagerOptions extends PartOptions, LeaderElectOptions {
  nodeMonitorGracePeriod: string;
  clusterName: string;
}

async function controllerManager(options: ControllerManagerOptions, io: CliIo): Promise<void> {
  const nodeMonitorGracePeriodMs = parseDurationFlag('--node-monitor-grace-period', options.nodeMonitorGracePeriod, 1);
  await runElectedPart(io, options, {
    component: 'controller-manager',
    label: 'controller manager',
    lease: CONTROLLER_MANAGER_LEASE,
    start: (context, logger, leaderElection) =>
      startControllerManager({ context, logger, leaderElection, nodeMonitorGracePeriodMs, clusterName: options.clusterName }),
  });
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
