/**
 * The Cluster's elected parts: with `leaderElection` on, the controller manager and the scheduler
 * each run only while this Cluster holds their Lease (`kube-system/tugboat-controller-manager`,
 * `kube-system/tugboat-scheduler`), as kube-controller-manager and kube-scheduler do with
 * `--leader-elect`. A part that loses its Lease stops and stays stopped, as those processes exit.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaderElector } from '../client/leader-election/leader-elector.js';
import { silentLogger, type Logger } from '../client/logger.js';
import type { ApiContext } from '../client/types.js';

/** The Lease (in kube-system) the controller manager's leader holds with leader election. */
export const CONTROLLER_MANAGER_LEASE = 'tugboat-controller-manager';
/** The Lease (in kube-system) the scheduler's leader holds with leader election. */
export const SCHEDULER_LEASE = 'tugboat-scheduler';

/** Leader election of a Cluster's controller manager and scheduler (durations as client-go's). */
export interface ClusterLeaderElection {
  /** This Cluster's identity among candidates. @default `${hostname}_${uuid}` */
  identity?: string;
  /** @default 15000 */
  leaseDurationMs?: number;
  /** @default 10000 */
  renewDeadlineMs?: number;
  /** @default 2000 */
  retryPeriodMs?: number;
}

/** A part run only while leading. */
export interface ElectedPart {
  /** The Lease's name in kube-system. */
  lease: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs one LeaderElector per part; each part starts when its elector leads and stops when it stops. */
export class ElectedParts {
  private readonly stop$ = new AbortController();
  private readonly runs: Promise<void>[] = [];
  private readonly leading = new Set<string>();
  private readonly electors: LeaderElector[];
  private readonly transitions: Promise<void>[] = [];

  /**
   * @param context the API the Leases are written through
   * @param options identity and durations
   * @param parts the parts to elect
   * @param log where lost leadership and failures are logged
   * @param onLost called with the Lease's name when a part that led loses it (not at `stop()`)
   * @throws TugboatError BadRequest naming the field when a duration is invalid
   */
  constructor(
    context: ApiContext,
    options: ClusterLeaderElection,
    parts: ElectedPart[],
    private readonly log: Logger = silentLogger,
    onLost?: (lease: string) => void,
  ) {
    const identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.electors = parts.map((part) => {
      let started: Promise<void> | undefined;
      return new LeaderElector(context, {
        name: part.lease,
        ...options,
        identity,
        callbacks: {
          onStartedLeading: async () => {
            this.leading.add(part.lease);
            started = part.start();
            this.transitions.push(started.catch(() => undefined));
            await started;
          },
          onStoppedLeading: () => {
            if (!started) return;
            this.leading.delete(part.lease);
            if (!this.stop$.signal.aborted) {
              this.log.warn({ lease: part.lease }, 'leader election lost; the part stays stopped');
              onLost?.(part.lease);
            }
            this.transitions.push(started.catch(() => undefined).then(() => part.stop()));
          },
        },
        onError: (err) => this.log.debug({ lease: part.lease, err: String(err) }, 'leader election attempt failed'),
      });
    });
  }

  /** Starts campaigning for every part's Lease (resolves at once; parts start when they lead). */
  start(): void {
    for (const e of this.electors) this.runs.push(e.run(this.stop$.signal));
  }

  /** True while this Cluster leads the part of that Lease. */
  isLeading(lease: string): boolean {
    return this.leading.has(lease);
  }

  /** The identity this Cluster campaigns under. */
  get identity(): string {
    return this.electors[0]?.identity ?? '';
  }

  /** Stops campaigning: each Lease held is released (another candidate takes over at once) and its part stopped. */
  async stop(): Promise<void> {
    this.stop$.abort();
    await Promise.all(this.runs);
    await Promise.all(this.transitions);
  }
}
