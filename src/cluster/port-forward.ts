/**
 * `kubectl port-forward` for a cluster in this process: a TCP listener on 127.0.0.1 whose
 * connections go to a pod's port, or to a Service port's Ready endpoints (its targetPort on each,
 * chosen round-robin per connection). It reaches pods at their IPs, as this process does on
 * every runtime with a pod network on this host (Docker: the pod's bridge address; the process
 * runtime: the pod's loopback address). The mock runtime's pod IPs lead nowhere: a forwarded
 * connection to a mock pod is refused and closed.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { EndpointSlice, Pod, Service } from '../model/types.js';
import type { ApiContext, ResourceClient } from '../client/types.js';
import { kinds } from '../client/kinds.js';
import { TugboatError } from '../model/errors.js';
import { invalid } from '../model/validation/field-errors.js';

/** Options of `cluster.portForward`. */
export interface PortForwardOptions {
  /** The local port on 127.0.0.1. @default 0 (any free port) */
  localPort?: number;
  /** The local address to listen on. @default '127.0.0.1' */
  address?: string;
}

/** A running port-forward: the local port, and `close()` to stop it (open connections end). */
export interface PortForward extends AsyncDisposable {
  /** The local port connections go to. */
  readonly port: number;
  /** Stops listening and ends the forwarded connections. Idempotent. */
  close(): Promise<void>;
}

/** The clients a port-forward reads. */
export interface PortForwardClients {
  pods: ResourceClient<Pod>;
  services: ResourceClient<Service>;
  endpointSlices: ResourceClient<EndpointSlice>;
}

/** Picks where one forwarded connection goes. */
export type Backend = () => Promise<{ host: string; port: number }>;

function checkPort(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw TugboatError.invalid({ kind: 'PortForward' }, '', [invalid(field, value, 'must be an integer between 0 and 65535')]);
  }
  return value;
}

/** The backend of a pod's port. */
function podBackend(pods: ResourceClient<Pod>, name: string, port: number): Backend {
  return async () => {
    const pod = await pods.get(name);
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase !== 'Running') {
      throw new TugboatError('BadRequest', `pod ${name} is not running (phase ${pod.status?.phase ?? 'Pending'}, no pod IP)`);
    }
    return { host: ip, port };
  };
}

/**
 * A TCP connection to `port` of pod `name` (pods/portforward of `cluster.serve()`): resolves once
 * connected; rejects when the pod is not running or the connection fails.
 */
export async function connectPodPort(pods: ResourceClient<Pod>, name: string, port: number): Promise<Socket> {
  const { host } = await podBackend(pods, name, port)();
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The backend of a Service port: its Ready endpoints, round-robin. */
export function serviceBackend(clients: PortForwardClients, name: string, port: number): Backend {
  let next = 0;
  return async () => {
    const svc = await clients.services.get(name);
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === port);
    if (!sp) throw new TugboatError('BadRequest', `Service ${name} does not have a service port ${port}`);
    const slices = await clients.endpointSlices.list({ labelSelector: `kubernetes.io/service-name=${name}` });
    const ready: Array<{ host: string; port: number }> = [];
    for (const s of slices.items) {
      const p = (s.ports ?? []).find((x) => (x.name ?? '') === (sp.name ?? '') && (x.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
      if (!p?.port) continue;
      for (const e of s.endpoints) if (e.conditions?.ready !== false && e.addresses[0]) ready.push({ host: e.addresses[0], port: p.port });
    }
    if (ready.length === 0) throw new TugboatError('ServiceUnavailable', `Service ${name} has no Ready endpoint for port ${port}`);
    return ready[next++ % ready.length] as { host: string; port: number };
  };
}

/** The backend of a Service's port, read through `context` in the Service's namespace. */
export function servicePortBackend(context: ApiContext, svc: Service, port: number): Backend {
  const ns = svc.metadata.namespace ?? 'default';
  const clients: PortForwardClients = {
    pods: context.client(kinds.Pod, ns),
    services: context.client(kinds.Service, ns),
    endpointSlices: context.client<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice', ns),
  };
  return serviceBackend(clients, svc.metadata.name ?? '', port);
}

/**
 * Starts a port-forward to `target` (`pod/NAME` or `svc/NAME`, also `pods/`, `service/`,
 * `services/`) port `remotePort`. The target is checked first (NotFound when it does not exist);
 * each connection is resolved again, so a Service's forward follows its endpoints.
 */
export async function startPortForward(
  clients: PortForwardClients,
  target: string,
  remotePort: number,
  options: PortForwardOptions = {},
): Promise<PortForward> {
  checkPort(remotePort, 'remotePort');
  if (remotePort === 0) throw TugboatError.invalid({ kind: 'PortForward' }, '', [invalid('remotePort', 0, 'must be between 1 and 65535')]);
  const localPort = checkPort(options.localPort ?? 0, 'localPort');
  const m = /^(pod|pods|po|svc|service|services)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(String(target));
  if (!m) throw TugboatError.badRequest(`target: "${String(target)}": expected pod/NAME or svc/NAME`);
  const [, kind, name] = m as unknown as [string, string, string];
  const isPod = kind.startsWith('po');
  if (isPod) await clients.pods.get(name);
  else {
    const svc = await clients.services.get(name);
    if (!(svc.spec?.ports ?? []).some((p) => p.port === remotePort)) {
      throw new TugboatError('BadRequest', `Service ${name} does not have a service port ${remotePort}`);
    }
  }
  const backend = isPod ? podBackend(clients.pods, name, remotePort) : serviceBackend(clients, name, remotePort);
  return listenForwarding(backend, localPort, options.address ?? '127.0.0.1');
}

/** A TCP listener on `address:localPort` that forwards each connection to where `backend` says. */
export async function listenForwarding(backend: Backend, localPort: number, address: string): Promise<PortForward> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    backend().then(
      ({ host, port }) => {
        const upstream = connect({ host, port });
        open.add(upstream);
        upstream.on('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : localPort;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of open) s.destroy();
    }));
  return { port, close, [Symbol.asyncDispose]: close };
}
