/**
 * The scheduler on its own (what `tugboat scheduler` runs, as kube-scheduler): over any
 * ApiContext, optionally under leader election on `kube-system/tugboat-scheduler`.
 */
import { InformerFactory } from '../../client/informer-factory.js';
import type { ApiContext } from '../../client/types.js';
import { Scheduler, type SchedulerOptions } from '../../scheduler/scheduler.js';
import { SCHEDULER_LEASE } from '../leader-election.js';
import { runElected } from './elected.js';
import type { PartCommonOptions, RunningPart } from './types.js';

/** Options of {@link startSchedulerPart}. */
export interface SchedulerPartOptions extends PartCommonOptions {
  /** The API the scheduler reads pods and nodes through and binds with. */
  context: ApiContext;
  /** The scheduler's own options (profile, plugins). */
  scheduler?: SchedulerOptions;
}

/** A started scheduler part. */
export interface SchedulerPart extends RunningPart {
  readonly scheduler: Scheduler;
}

/** Starts the scheduler part: schedules now, or once it holds its Lease. */
export async function startSchedulerPart(options: SchedulerPartOptions): Promise<SchedulerPart> {
  const informers = new InformerFactory(options.context, { logger: options.logger });
  const scheduler = new Scheduler(options.context, options.scheduler ?? {}, informers);
  const part = await runElected(
    options.context,
    { lease: SCHEDULER_LEASE, start: () => scheduler.start(), stop: () => scheduler.stop(), cleanup: () => informers.stop() },
    options,
  );
  return Object.assign(part, { scheduler });
}
