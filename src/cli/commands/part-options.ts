/**
 * What the control-plane commands (controller-manager, scheduler, agent) share: `--kubeconfig`
 * and the connection to the API server (an HttpApiContext), `--log-level`, the `--leader-elect*`
 * flags of kube-controller-manager and kube-scheduler, and running until Ctrl-C (or until the
 * Lease is lost, as those processes exit then).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { HttpApiContext } from '../../client/http/http-api-context.js';
import { TUGBOAT_VERSION } from '../version.js';
import type { Logger } from '../../client/logger.js';
import type { ClusterLeaderElection } from '../../cluster/leader-election.js';
import type { RunningPart } from '../../cluster/parts/types.js';
import { parseDurationFlag } from '../duration-flag.js';
import { LOG_LEVELS, parseLogLevel, stderrLogger } from '../stderr-logger.js';
import type { CliIo } from '../types.js';
import { connectionOf } from './client-context.js';
import { CliFailure } from './failure.js';

/** The options every control-plane command takes. */
export interface PartOptions {
  kubeconfig?: string;
  logLevel: string;
}

/** The `--leader-elect*` options, as commander parses them. */
export interface LeaderElectOptions {
  leaderElect?: boolean;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
  leaderElectIdentity?: string;
}

/** How many times (0.5 s apart) a part tries to reach the API server before it gives up. */
const CONNECT_ATTEMPTS = 20;

/** Adds `--kubeconfig FILE` and `--log-level LEVEL`. */
export function withPartOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'the kubeconfig naming the API server (default: $KUBECONFIG, then ~/.kube/config)')
    .addOption(new Option('--log-level <level>', 'what is logged on stderr').choices(LOG_LEVELS).default('info'));
}

/** Adds kube-controller-manager's and kube-scheduler's leader election flags. */
export function withLeaderElectOptions(command: Command): Command {
  return command
    .option('--leader-elect', 'act only while holding the Lease in kube-system (one of several replicas acts)')
    .option('--leader-elect-lease-duration <duration>', 'how long a non-renewed Lease stays held', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps retrying a renewal before it gives up', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often candidates try to acquire or renew', '2s')
    .option('--leader-elect-identity <identity>', "this replica's holderIdentity (default: hostname_uuid)");
}

/** The leader election the flags ask for (`false` without `--leader-elect`); Invalid naming a bad duration flag. */
export function leaderElectionOf(options: LeaderElectOptions): ClusterLeaderElection | false {
  const durations = {
    leaseDurationMs: parseDurationFlag('--leader-elect-lease-duration', options.leaderElectLeaseDuration, 1),
    renewDeadlineMs: parseDurationFlag('--leader-elect-renew-deadline', options.leaderElectRenewDeadline, 1),
    retryPeriodMs: parseDurationFlag('--leader-elect-retry-period', options.leaderElectRetryPeriod, 1),
  };
  if (!options.leaderElect) return false;
  return { ...durations, ...(options.leaderElectIdentity ? { identity: options.leaderElectIdentity } : {}) };
}

/** The logger `--log-level` asks for, on the command's stderr. */
export function loggerOf(io: CliIo, options: PartOptions): Logger {
  return stderrLogger(io.stderr, parseLogLevel(options.logLevel));
}

/**
 * Connects to the API server the kubeconfig names, as `component` (the source of its Events)
 * with the User-Agent of `agent` (the field manager of its writes, one of the in-process
 * FIELD_MANAGERS), trying again for a while (the API server may be starting) unless the command
 * is stopped.
 */
export async function connectPart(io: CliIo, options: PartOptions, component: string, agent = component): Promise<HttpApiContext> {
  const connection = await connectionOf(io, options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await HttpApiContext.connect(connection, { component, agent, version: TUGBOAT_VERSION });
    } catch (err) {
      if (attempt >= CONNECT_ATTEMPTS || io.signal.aborted) {
        throw new CliFailure(`error: cannot reach the API server at ${connection.server}: ${(err as Error).message}`);
      }
      await sleep(500, undefined, { signal: io.signal }).catch(() => undefined);
    }
  }
}

/**
 * Runs until the command is stopped (Ctrl-C, SIGTERM), then stops the part and closes the
 * connection. A part that loses its Lease stops and fails the command (exit 1), as
 * kube-controller-manager and kube-scheduler exit.
 */
export async function runUntilStopped(
  io: CliIo,
  part: Pick<RunningPart, 'stop'> & { lost?: Promise<string> },
  ctx: HttpApiContext,
): Promise<void> {
  const stopped = new Promise<undefined>((done) =>
    io.signal.aborted ? done(undefined) : io.signal.addEventListener('abort', () => done(undefined), { once: true }),
  );
  // The clock's timers and the client's idle connections do not hold the process: a candidate
  // waiting for its Lease would otherwise exit (code 0) as soon as nothing else is pending.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  try {
    const lost = await Promise.race([stopped, part.lost ?? new Promise<never>(() => {})]);
    if (lost !== undefined) throw new CliFailure(`error: leader election lost (Lease kube-system/${lost}): stopping`);
  } finally {
    clearInterval(keepAlive);
    await part.stop();
    await ctx.close();
  }
}

/** What {@link runElectedPart} starts and how it names it in the log. */
export interface ElectedPartSpec<P extends Pick<RunningPart, 'stop'> & { lost?: Promise<string> }> {
  /** The component the connection names (its Events' source, its User-Agent). */
  component: string;
  /** The program its User-Agent names instead (the field manager of its writes). @default `component` */
  agent?: string;
  /** How the log names the part: `scheduler`, `controller manager`. */
  label: string;
  /** The Lease it campaigns for with `--leader-elect`, in kube-system. */
  lease: string;
  /** Starts the part over the connection. */
  start(context: HttpApiContext, logger: Logger, leaderElection: ClusterLeaderElection | false): Promise<P>;
}

/**
 * Runs a control-plane part as its command does: reads the flags, connects, starts it (closing
 * the connection when that fails), logs, and runs until Ctrl-C or the loss of its Lease.
 */
export async function runElectedPart<P extends Pick<RunningPart, 'stop'> & { lost?: Promise<string> }>(
  io: CliIo,
  options: PartOptions & LeaderElectOptions,
  spec: ElectedPartSpec<P>,
): Promise<void> {
  const leaderElection = leaderElectionOf(options);
  const logger = loggerOf(io, options);
  const context = await connectPart(io, options, spec.component, spec.agent);
  let part: P;
  try {
    part = await spec.start(context, logger, leaderElection);
  } catch (err) {
    await context.close();
    throw err;
  }
  logger.info(
    { server: context.server, ...(leaderElection ? { lease: `kube-system/${spec.lease}` } : {}) },
    leaderElection ? `${spec.label} started: campaigning for its Lease` : `${spec.label} started`,
  );
  await runUntilStopped(io, part, context);
  logger.info({}, `${spec.label} stopped`);
}
