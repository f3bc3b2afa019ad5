/**
 * `tugboat agent`: one node's agent (as the kubelet) over the API server a kubeconfig names:
 * registers the Node, heartbeats through its Lease in kube-node-lease and runs the pods bound to
 * it on its runtime. Ctrl-C stops it and removes its containers; its Node stays and goes NotReady.
 */
import { FIELD_MANAGERS } from '../../cluster/api-server.js';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { TugboatError } from '../../model/errors.js';
import { startAgentPart } from '../../cluster/parts/agent-part.js';
import { makeNodeRuntime, parseRuntimeKind, RUNTIME_KINDS } from '../cluster-runtimes.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { CliCommand, CliIo } from '../types.js';
import { parseIntFlag } from './up.js';
import { connectPart, loggerOf, type PartOptions, runUntilStopped, withPartOptions } from './part-options.js';

/** Options of `tugboat agent`, as commander parses them. */
interface AgentOptions extends PartOptions {
  node: string;
  runtime: string;
  clusterName: string;
  stateDir?: string;
  dockerHost?: string;
  heartbeatInterval: string;
  nodeLeaseDurationSeconds: string;
  port: string;
  address: string;
  nodeIp?: string;
}

/**
 * The address the Node reports (kubelet's --node-ip): the one given, else the bind address, else
 * (a wildcard bind) the machine's first external IPv4 address.
 */
function nodeIpOf(options: AgentOptions): string {
  for (const [flag, value] of [
    ['--node-ip', options.nodeIp],
    ['--address', options.address],
  ] as const) {
    if (value !== undefined && isIP(value) === 0) {
      throw new TugboatError('Invalid', `${flag}: invalid value "${value}": must be an IP address`, {
        causes: [{ field: flag, reason: 'FieldValueInvalid', message: 'must be an IP address' }],
      });
    }
  }
  if (options.nodeIp) return options.nodeIp;
  if (options.address !== '0.0.0.0' && options.address !== '::') return options.address;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  return external?.address ?? '127.0.0.1';
}

async function agent(options: AgentOptions, io: CliIo): Promise<void> {
  const kind = parseRuntimeKind(options.runtime);
  const heartbeatIntervalMs = parseDurationFlag('--heartbeat-interval', options.heartbeatInterval, 1);
  const leaseDurationSeconds = parseIntFlag('--node-lease-duration-seconds', options.nodeLeaseDurationSeconds, 1, 3600);
  const port = parseIntFlag('--port', options.port, 0, 65_535);
  const nodeIP = nodeIpOf(options);
  const logger = loggerOf(io, options);
  const made = await makeNodeRuntime(kind, {
    ...(options.stateDir ? { stateDir: resolve(options.stateDir) } : {}),
    ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
  });
  try {
    const context = await connectPart(io, options, 'kubelet', FIELD_MANAGERS.agent);
    let part: Awaited<ReturnType<typeof startAgentPart>>;
    try {
      const runtime = made.runtimes[0]!;
      part = await startAgentPart({
        context,
        clusterName: options.clusterName,
        node: { name: options.node, runtime, heartbeatIntervalMs, leaseDurationSeconds, nodeIP },
        endpoint: { host: options.address, port },
      });
    } catch (err) {
      await context.close();
      throw err;
    }
    const endpoint = part.endpoint && `https://${part.endpoint.host}:${part.endpoint.port}`;
    logger.info({ node: options.node, runtime: kind, server: context.server, endpoint }, 'node agent started');
    await runUntilStopped(io, part, context);
    logger.info({ node: options.node }, 'node agent stopped; its containers are removed');
  } finally {
    await made.cleanup();
  }
}

/** `tugboat agent`: the kubelet of one node over a kubeconfig's API server. */
export const agentCommand: CliCommand = {
  name: 'agent',
  create(io) {
    return withPartOptions(
      new Command('agent').description("run one node's agent (kubelet) against a kubeconfig's API server until Ctrl-C"),
    )
      .requiredOption('--node <name>', "the Node's name")
      .addOption(new Option('-r, --runtime <runtime>', 'where pods run').choices(RUNTIME_KINDS).default('docker'))
      .option('--cluster-name <name>', "the cluster's name (on every container the agent makes)", 'tugboat')
      .option('--state-dir <dir>', "the process runtime's state folder (default: a temporary one)")
      .option(
        '--docker-host <url>',
        'the Docker daemon: unix:///path/to/docker.sock or tcp://HOST:PORT (default: DOCKER_HOST, then the local socket)',
      )
      .option('--address <ip>', "the address the agent's endpoint listens on (0.0.0.0: every interface)", '127.0.0.1')
      .option(
        '--node-ip <ip>',
        "the Node's InternalIP, where the API server reaches the endpoint (default: --address, else the first external IPv4)",
      )
      .option('-p, --port <port>', "the agent's endpoint (logs, exec, port-forward for the API server; 0 picks a free one)", '0')
      .option('--heartbeat-interval <duration>', 'how often the node Lease is renewed', '10s')
      .option('--node-lease-duration-seconds <seconds>', "the node Lease's leaseDurationSeconds", '40')
      .addHelpText('after', '\nExample:\n  tugboat agent --kubeconfig ./admin.kubeconfig --node worker-1 --runtime docker\n')
      .action((options: AgentOptions) => agent(options, io));
  },
};
