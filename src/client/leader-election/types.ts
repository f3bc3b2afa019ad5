/**
 * The contract of leader election, as client-go's tools/leaderelection: several candidates of one
 * part (a controller manager, a scheduler) race for a coordination.k8s.io/v1 Lease; the one
 * holding it acts, the others wait for it to expire.
 */

/** What a Lease says about its holder (client-go's LeaderElectionRecord). */
export interface LeaderElectionRecord {
  /** Who holds the lease; `''` after a release. */
  holderIdentity: string;
  /** How long the lease lasts past its last renewal, in seconds. */
  leaseDurationSeconds: number;
  /** When the current holder acquired it (ms since the epoch). */
  acquireTime: number;
  /** When the holder last renewed it (ms since the epoch). */
  renewTime: number;
  /** How many times the lease changed hands. */
  leaseTransitions: number;
}

/** Called as leadership comes and goes (client-go's LeaderCallbacks). */
export interface LeaderCallbacks {
  /** This candidate became the leader; `signal` aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** The elector ended (leadership lost, or stopped); called once per `run`, as client-go does, also when it never led. */
  onStoppedLeading?(): void;
  /** The observed holder changed (including to this candidate). */
  onNewLeader?(identity: string): void;
}

/** Options of `LeaderElector`. */
export interface LeaderElectorOptions {
  /** The Lease's namespace. @default 'kube-system' */
  namespace?: string;
  /** The Lease's name (e.g. 'tugboat-controller-manager'). */
  name: string;
  /** This candidate's identity, unique among candidates. @default `${hostname}_${uuid}` */
  identity?: string;
  /** How long non-leaders wait, after last seeing the lease change, before they take it. @default 15000 */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a renewal before it gives up leading. @default 10000 */
  renewDeadlineMs?: number;
  /** How long candidates wait between attempts. @default 2000 */
  retryPeriodMs?: number;
  /** Up to this fraction of retryPeriod is added at random to each wait of a non-leader (client-go's JitterFactor). @default 1.2 */
  jitterFactor?: number;
  /** Give the lease up when the elector is stopped, so another candidate takes over at once. @default true */
  releaseOnCancel?: boolean;
  /** The callbacks. */
  callbacks: LeaderCallbacks;
  /** Where failures of lease reads and writes go. @default ignored */
  onError?: (err: unknown) => void;
}
