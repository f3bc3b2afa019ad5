/**
 * `tugboat scheduler`: the scheduler (as kube-scheduler) over the API server a kubeconfig names,
 * optionally one replica of several with `--leader-elect`.
 */
import { FIELD_MANAGERS } from '../../cluster/api-server.js';
import { Command } from 'commander';
import { SCHEDULER_LEASE } from '../../cluster/leader-election.js';
import { startSchedulerPart } from '../../cluster/parts/scheduler-part.js';
import type { CliCommand, CliIo } from '../types.js';
import { type LeaderElectOptions, type PartOptions, runElectedPart, withLeaderElectOptions, withPartOptions } from './part-options.js';

/** Options of `tugboat scheduler`, as commander parses them. */
interface SchedulerOptions extends PartOptions, LeaderElectOptions {}

async function scheduler(options: SchedulerOptions, io: CliIo): Promise<void> {
  await runElectedPart(io, options, {
    component: 'default-scheduler',
    agent: FIELD_MANAGERS.scheduler,
    label: 'scheduler',
    lease: SCHEDULER_LEASE,
    start: (context, logger, leaderElection) => startSchedulerPart({ context, logger, leaderElection }),
  });
}

/** `tugboat scheduler`: kube-scheduler over a kubeconfig's API server. */
export const schedulerCommand: CliCommand = {
  name: 'scheduler',
  create(io) {
    return withLeaderElectOptions(
      withPartOptions(new Command('scheduler').description("bind pending pods to nodes through a kubeconfig's API server until Ctrl-C")),
    )
      .addHelpText('after', '\nExample:\n  tugboat scheduler --kubeconfig ./admin.kubeconfig --leader-elect\n')
      .action((options: SchedulerOptions) => scheduler(options, io));
  },
};
