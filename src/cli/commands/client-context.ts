/**
 * What the client commands (get, apply, delete, rollout, logs, describe) share: the
 * `--kubeconfig`/`-n` options, the connection to the API server (HttpApiContext), the kind a
 * command-line word names (`deploy`, `deployments.apps`, `Deployment`), and kubectl's names for
 * objects (`deployment.apps/web`).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HttpApiContext } from '../../client/http/http-api-context.js';
import { TUGBOAT_VERSION } from '../version.js';
import { type ClusterConnection, parseKubeconfig } from '../../client/http/kubeconfig.js';
import { TugboatError } from '../../model/errors.js';
import type { ResourceType } from '../../model/resource-type.js';
import { clientKubeconfigPath } from '../kubeconfig-file.js';
import type { CliIo } from '../types.js';
import { CliFailure, serverErrorLine } from './failure.js';

/** The options every client command takes. */
export interface ClientOptions {
  kubeconfig?: string;
  namespace?: string;
}

/** Adds `--kubeconfig FILE` and `-n/--namespace NS` to `command`. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'the kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('-n, --namespace <namespace>', 'the namespace (default: default)');
}

/** The connection the options name: the kubeconfig file read and parsed. */
export async function connectionOf(io: CliIo, options: ClientOptions): Promise<ClusterConnection> {
  const path = clientKubeconfigPath(options.kubeconfig, io.env);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new CliFailure(`error: no kubeconfig at ${path} (give --kubeconfig FILE or set KUBECONFIG)`);
  });
  try {
    return parseKubeconfig(text);
  } catch (err) {
    throw new CliFailure(`error: the kubeconfig ${path} is not usable: ${(err as Error).message}`);
  }
}

/**
 * Connects with the options' kubeconfig, runs `fn` and closes the connection; an error the API
 * server answered becomes kubectl's `Error from server (Reason): message`.
 */
export async function withClient<R>(io: CliIo, options: ClientOptions, fn: (ctx: HttpApiContext) => Promise<R>): Promise<R> {
  const connection = await connectionOf(io, options);
  let ctx: HttpApiContext;
  try {
    ctx = await HttpApiContext.connect(connection, { component: 'cli', version: TUGBOAT_VERSION });
  } catch (err) {
    throw new CliFailure(`error: cannot reach the API server at ${connection.server}: ${(err as Error).message}`);
  }
  try {
    return await fn(ctx);
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    if (err instanceof TugboatError) throw new CliFailure(serverErrorLine(err));
    throw err;
  } finally {
    await ctx.close();
  }
}

/** The namespace a command works in: `-n`, else `default`. */
export function namespaceOf(options: ClientOptions): string {
  return options.namespace ?? 'default';
}

/**
 * The kind a command-line word names, as kubectl resolves it: plural, singular, short name or
 * kind, optionally with its group (`deployments.apps`), case-insensitive.
 */
export async function resolveKind(ctx: HttpApiContext, word: string): Promise<ResourceType> {
  const all = await ctx.discover();
  const lower = word.toLowerCase();
  const dot = lower.indexOf('.');
  const [name, group] = dot < 0 ? [lower, undefined] : [lower.slice(0, dot), lower.slice(dot + 1)];
  const matches = all.filter(
    (t) =>
      (group === undefined || t.group === group) &&
      (t.plural === name || t.singular === name || t.kind.toLowerCase() === name || (t.shortNames ?? []).includes(name)),
  );
  // The core and built-in groups first, as kubectl prefers them.
  const chosen =
    matches.find((t) => t.group === '') ?? matches.find((t) => !t.group.includes('.') || t.group.endsWith('.k8s.io')) ?? matches[0];
  if (!chosen) throw new CliFailure(`error: the server doesn't have a resource type "${word}"`);
  return chosen;
}

/** kubectl's name of a kind in output: `deployment.apps`, `configmap`. */
export function kindName(type: ResourceType): string {
  const kind = type.kind.toLowerCase();
  return type.group ? `${kind}.${type.group}` : kind;
}

/** kubectl's resource name in messages: `deployments.apps`, `configmaps`. */
export function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
