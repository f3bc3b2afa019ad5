/**
 * Runs one part, under leader election or not, as a {@link RunningPart}: the shared start/stop
 * wiring of the controller manager and the scheduler parts.
 */
import type { ApiContext } from '../../client/types.js';
import { silentLogger } from '../../client/logger.js';
import { ElectedParts } from '../leader-election.js';
import type { PartCommonOptions, RunningPart } from './types.js';

/** What {@link runElected} runs. */
export interface ElectedPartSpec {
  /** The Lease's name in kube-system. */
  lease: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Called once the part is stopped (informers closed, say). */
  cleanup?(): Promise<void>;
}

/** Starts `part` now, or campaigns for its Lease first when `options.leaderElection` is set. */
export async function runElected(context: ApiContext, part: ElectedPartSpec, options: PartCommonOptions): Promise<RunningPart> {
  let onLost: (lease: string) => void = () => {};
  const lost = new Promise<string>((resolve) => (onLost = resolve));
  let stopped: Promise<void> | undefined;
  if (!options.leaderElection) {
    await part.start();
    return {
      lost,
      isLeading: () => stopped === undefined,
      stop: () =>
        (stopped ??= (async () => {
          await part.stop();
          await part.cleanup?.();
        })()),
    };
  }
  const election = new ElectedParts(
    context,
    options.leaderElection === true ? {} : options.leaderElection,
    [{ lease: part.lease, start: () => part.start(), stop: () => part.stop() }],
    options.logger ?? silentLogger,
    (lease) => onLost(lease),
  );
  election.start();
  return {
    lost,
    isLeading: () => stopped === undefined && election.isLeading(part.lease),
    stop: () =>
      (stopped ??= (async () => {
        await election.stop();
        await part.cleanup?.();
      })()),
  };
}
