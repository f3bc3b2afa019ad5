/**
 * The contracts of the control plane's parts run on their own (each in a process, as
 * kube-apiserver, kube-controller-manager, kube-scheduler and the kubelet): what starting one
 * returns, and the leader election the elected ones take.
 */
import type { Logger } from '../../client/logger.js';
import type { ClusterLeaderElection } from '../leader-election.js';

/** A started part: stop it once; `lost` settles when it stops on its own. */
export interface RunningPart {
  /**
   * Resolves with the Lease's name when an elected part loses its Lease (as kube-controller-manager
   * and kube-scheduler, whose process then exits); never resolves otherwise.
   */
  readonly lost: Promise<string>;
  /** True while the part acts: always without leader election, else while it holds its Lease. */
  isLeading(): boolean;
  /** Stops the part (releasing a Lease it holds). Idempotent. */
  stop(): Promise<void>;
}

/** What every part built over an ApiContext takes besides its own options. */
export interface PartCommonOptions {
  /** Run only while holding the part's Lease (`--leader-elect`): `true` takes client-go's durations. @default false */
  leaderElection?: boolean | ClusterLeaderElection;
  /** Where the part logs. @default silent */
  logger?: Logger;
}
