/**
 * `tugboat scheduler`: the scheduler (as kube-scheduler) over the API server a kubeconfig names,
 * optionally one replica of several with `--leader-elect`.
 */
import { Command } from 'commander';
import { startSchedulerPart } from '../../cluster/parts/scheduler-part.js';
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

/** Options of `tugboat scheduler`, as commander parses them. */
interface SchedulerOptions extends PartOptions, LeaderElectOptions {}

async function scheduler(options: SchedulerOptions, io: CliIo): Promise<void> {
  const leaderElection = leaderElectionOf(options);
  const logger = loggerOf(io, options);
  const context = await connectPart(io, options, 'default-scheduler');
  let part: Awaited<ReturnType<typeof startSchedulerPart>>;
  try {
    part = await startSchedulerPart({ context, logger, leaderElection });
  } catch (err) {
    await context.close();
    throw err;
  }
  logger.info({ server: context.server }, leaderElection ? 'scheduler started: campaigning for its Lease' : 'scheduler started');
  await runUntilStopped(io, part, context);
  logger.info({}, 'scheduler stopped');
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
