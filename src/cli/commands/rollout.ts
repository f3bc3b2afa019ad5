import { Command } from 'commander';
import type { Deployment } from '../../model/types.js';
import type { CliCommand, CliIo } from '../types.js';
import { type ClientOptions, namespaceOf, withClient, withClientOptions } from './client-context.js';
import { CliFailure } from './failure.js';

/** Where a Deployment's rollout stands: kubectl's message, and whether it is over. */
export interface RolloutState {
  readonly message: string;
  readonly done: boolean;
  /** The rollout cannot finish (its progress deadline passed). */
  readonly failed?: boolean;
}

/** kubectl's DeploymentStatusViewer: the message for `d` (Kubernetes 1.30 kubectl/pkg/polymorphichelpers/rollout_status.go). */
export function deploymentRolloutState(d: Deployment): RolloutState {
  const name = d.metadata.name;
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  }
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { message: `deployment "${name}" exceeded its progress deadline`, done: true, failed: true };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < desired) return { message: `${waiting}${updated} out of ${desired} new replicas have been updated...`, done: false };
  if (replicas > updated) return { message: `${waiting}${replicas - updated} old replicas are pending termination...`, done: false };
  if (available < updated) return { message: `${waiting}${available} of ${updated} updated replicas are available...`, done: false };
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/** Seconds of a kubectl duration (`90s`, `2m`, `1h`, `0` for none). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliFailure(`error: invalid --timeout "${text}": give a duration such as 90s, 5m or 1h`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

/** Prints rollout messages: new lines only when they change; on a TTY one line redrawn in place. */
class RolloutPrinter {
  private last = '';
  constructor(private readonly io: CliIo) {}
  show(message: string, final: boolean): void {
    if (message === this.last && !final) return;
    if (this.io.stdout.isTTY) {
      this.io.stdout.write(`\r\x1b[2K${message}${final ? '\n' : ''}`);
    } else if (message !== this.last) {
      this.io.stdout.write(`${message}\n`);
    }
    this.last = message;
  }
}

/**
 * `tugboat rollout status deployment/NAME [--timeout D]`: watches the Deployment until its
 * rollout completes, with kubectl's messages; exit 1 on timeout or a passed progress deadline.
 */
export const rolloutCommand: CliCommand = {
  name: 'rollout',
  create(io) {
    const status = withClientOptions(
      new Command('status')
        .description("watch a Deployment's rollout until it completes")
        .argument('<target>', 'deployment/NAME (or a Deployment name)')
        .option('--timeout <duration>', 'give up after this long (90s, 5m; 0 waits forever)', '0'),
    ).action(async (target: string, options: ClientOptions & { timeout: string }) => {
      const [kind, name] = target.includes('/') ? target.split('/', 2) : ['deployment', target];
      if (!['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'].includes((kind ?? '').toLowerCase()) || !name) {
        throw new CliFailure(`error: no status viewer has been implemented for ${kind}: give deployment/NAME`);
      }
      const seconds = parseDuration(options.timeout);
      const printer = new RolloutPrinter(io);
      await withClient(io, options, async (ctx) => {
        const client = ctx.client<Deployment>('apps/v1', 'Deployment', namespaceOf(options));
        const stop = new AbortController();
        const timer = seconds > 0 ? setTimeout(() => stop.abort('timeout'), seconds * 1000) : undefined;
        const onSignal = (): void => stop.abort('signal');
        io.signal.addEventListener('abort', onSignal);
        try {
          let current = await client.get(name);
          while (!stop.signal.aborted) {
            const state = deploymentRolloutState(current);
            printer.show(state.message, state.done);
            if (state.done) {
              if (state.failed) throw new CliFailure(`error: ${state.message}`);
              return;
            }
            try {
              const events = client.watch({
                fieldSelector: `metadata.name=${name}`,
                resourceVersion: current.metadata.resourceVersion,
                signal: stop.signal,
              });
              for await (const event of events) {
                if (event.type === 'DELETED') throw new CliFailure(`error: deployment "${name}" was deleted`);
                if (event.type !== 'ADDED' && event.type !== 'MODIFIED') continue;
                current = event.object;
                const next = deploymentRolloutState(current);
                printer.show(next.message, next.done);
                if (next.done) {
                  if (next.failed) throw new CliFailure(`error: ${next.message}`);
                  return;
                }
              }
            } catch (err) {
              if (!stop.signal.aborted) throw err;
            }
            // The watch ended (the server closed it): read the object again and watch on.
            if (!stop.signal.aborted) current = await client.get(name);
          }
          if (io.stdout.isTTY) io.stdout.write('\n');
          throw new CliFailure(stop.signal.reason === 'timeout' ? 'error: timed out waiting for the condition' : 'error: interrupted');
        } finally {
          if (timer) clearTimeout(timer);
          io.signal.removeEventListener('abort', onSignal);
        }
      });
    });
    status
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();
    return new Command('rollout').description('manage the rollout of a Deployment').addCommand(status);
  },
};
