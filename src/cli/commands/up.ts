import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { Cluster } from '../../cluster/cluster.js';
import { TugboatError } from '../../model/errors.js';
import { makeNodeRuntimes, parseRuntimeKind, RUNTIME_KINDS } from '../cluster-runtimes.js';
import { defaultUpKubeconfigPath, removeKubeconfigIfOurs, writeKubeconfig } from '../kubeconfig-file.js';
import type { CliCommand, CliIo } from '../types.js';

/** Options of `tugboat up`, as commander parses them. */
interface UpOptions {
  name: string;
  nodes: string;
  runtime: string;
  kubeconfig?: string;
  host: string;
  port: string;
}

/** Checks an integer flag in [min, max], else Invalid naming the flag. */
export function parseIntFlag(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (/^\d+$/.test(value.trim()) && n >= min && n <= max) return n;
  throw new TugboatError('Invalid', `${flag}: invalid value "${value}": must be a whole number from ${min} to ${max}`, {
    causes: [{ field: flag, reason: 'FieldValueInvalid', message: `must be a whole number from ${min} to ${max}` }],
  });
}

/** Resolves when `signal` aborts (at once if it has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));

async function up(options: UpOptions, io: CliIo): Promise<void> {
  const nodes = parseIntFlag('--nodes', options.nodes, 1, 100);
  const port = parseIntFlag('--port', options.port, 0, 65_535);
  const kind = parseRuntimeKind(options.runtime);
  const path = options.kubeconfig ? resolve(options.kubeconfig) : defaultUpKubeconfigPath(options.name, io.env);
  const made = await makeNodeRuntimes(kind, nodes);
  let cluster: Cluster | undefined;
  let kubeconfig: string | undefined;
  try {
    cluster = await Cluster.start({
      name: options.name,
      nodes: made.runtimes.map((runtime, i) => ({ name: `${options.name}-node-${i + 1}`, runtime })),
    });
    const served = await cluster.serve({ host: options.host, port, clusterName: options.name });
    kubeconfig = served.kubeconfig;
    await writeKubeconfig(path, kubeconfig);
    io.stderr.write(
      [
        `Cluster "${options.name}" is up: ${nodes} node${nodes === 1 ? '' : 's'} on ${kind}, API at ${served.url}`,
        `Kubeconfig (admin) written to ${path}. Use it with kubectl:`,
        `  kubectl --kubeconfig ${path} get nodes`,
        `  export KUBECONFIG=${path}   # then plain kubectl, or tugboat get/apply/...`,
        'Ctrl-C stops the cluster and removes its containers.',
        '',
      ].join('\n'),
    );
    await aborted(io.signal);
    io.stderr.write(`Stopping cluster "${options.name}"...\n`);
  } finally {
    await cluster?.stop();
    if (kubeconfig !== undefined) await removeKubeconfigIfOurs(path, kubeconfig);
    await made.cleanup();
  }
  io.stderr.write(`Cluster "${options.name}" stopped; its containers are removed.\n`);
}

/** `tugboat up`: a cluster serving the Kubernetes API until Ctrl-C, with a kubeconfig for kubectl. */
export const upCommand: CliCommand = {
  name: 'up',
  create(io) {
    return new Command('up')
      .description('start a cluster serving the Kubernetes API, write its kubeconfig, and run until Ctrl-C (SIGINT/SIGTERM)')
      .option('--name <name>', "the cluster's name (its containers' labels, the kubeconfig's cluster)", 'tugboat')
      .option('-n, --nodes <count>', 'how many nodes', '1')
      .addOption(new Option('-r, --runtime <runtime>', 'where pods run').choices(RUNTIME_KINDS).default('docker'))
      .option('--kubeconfig <path>', 'where to write the admin kubeconfig (default: ~/.kube/<name>.yaml, removed at stop)')
      .option('--host <address>', 'address the API listens on', '127.0.0.1')
      .option('-p, --port <port>', 'port the API listens on (0 picks a free one)', '0')
      .addHelpText('after', '\nExample:\n  tugboat up --nodes 2 --kubeconfig ./kubeconfig && kubectl --kubeconfig ./kubeconfig get nodes\n')
      .action((options: UpOptions) => up(options, io));
  },
};
