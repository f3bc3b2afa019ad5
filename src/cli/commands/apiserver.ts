/**
 * `tugboat apiserver`: the Kubernetes API over HTTPS on a store (as kube-apiserver), and nothing
 * else: no controller, scheduler or node runs in it. Writes the admin kubeconfig, naming the real
 * address, for the other parts (controller-manager, scheduler, agent) and kubectl.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { RealClock } from '../../clock/real-clock.js';
import { startApiServerPart } from '../../cluster/parts/api-server-part.js';
import { removeKubeconfigIfOurs, writeKubeconfig } from '../kubeconfig-file.js';
import { parseLogLevel, stderrLogger } from '../stderr-logger.js';
import { openStore, parseStoreFlag } from '../store-flag.js';
import type { CliCommand, CliIo } from '../types.js';
import { parseIntFlag } from './up.js';
import { withPartOptions } from './part-options.js';

/** Options of `tugboat apiserver`, as commander parses them. */
interface ApiServerOptions {
  store: string;
  etcdPrefix: string;
  host: string;
  port: string;
  kubeconfigOut?: string;
  name: string;
  logLevel: string;
}

/** Resolves when `signal` aborts (at once if it has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));

async function apiserver(options: ApiServerOptions, io: CliIo): Promise<void> {
  const flag = parseStoreFlag(options.store);
  const port = parseIntFlag('--port', options.port, 0, 65_535);
  const logger = stderrLogger(io.stderr, parseLogLevel(options.logLevel));
  const path = options.kubeconfigOut ? resolve(options.kubeconfigOut) : undefined;
  const clock = new RealClock();
  const store = await openStore(flag, clock, options.etcdPrefix);
  const part = await startApiServerPart({ store, clock, serve: { host: options.host, port, clusterName: options.name } });
  const { kubeconfig, url } = part.served;
  try {
    if (path) await writeKubeconfig(path, kubeconfig);
    logger.info({ url, store: options.store, ...(path ? { kubeconfig: path } : {}) }, 'API server serving');
    await aborted(io.signal);
  } finally {
    await part.stop();
    if (path) await removeKubeconfigIfOurs(path, kubeconfig);
  }
  logger.info({}, 'API server stopped');
}

/** `tugboat apiserver`: kube-apiserver over a memory, SQLite or etcd store. */
export const apiserverCommand: CliCommand = {
  name: 'apiserver',
  create(io) {
    const command = new Command('apiserver')
      .description('serve the Kubernetes API (HTTPS, RBAC) over a store until Ctrl-C; no controller, scheduler or node runs in it')
      .option('--store <store>', 'memory, sqlite:FILE or etcd://HOST:PORT[,HOST:PORT...]', 'memory')
      .option('--etcd-prefix <prefix>', 'where the objects live in etcd', '/registry')
      .option('--host <address>', 'address the API listens on', '127.0.0.1')
      .option('-p, --port <port>', 'port the API listens on (0 picks a free one)', '6443')
      .option('--kubeconfig-out <file>', 'write the admin kubeconfig (naming the real address) there; removed at stop')
      .option('--name <name>', "the cluster's name in the kubeconfig", 'tugboat');
    // Only --log-level of the parts' options: the API server takes no kubeconfig.
    const shared = withPartOptions(new Command()).options.find((o) => o.long === '--log-level');
    if (shared) command.addOption(shared);
    return command
      .addHelpText('after', '\nExample:\n  tugboat apiserver --store sqlite:./cluster.db --port 0 --kubeconfig-out ./admin.kubeconfig\n')
      .action((options: ApiServerOptions) => apiserver(options, io));
  },
};
