/**
 * The processes of the ingress benchmark besides the load generator (bench/ingress.ts forks this
 * file): `backend` is a keep-alive Node HTTP server answering a small body; `proxy` is a
 * ProxyIngress routing every host and path to the backend, alone in its process as nginx is in
 * its own. Each prints its port on the IPC channel and answers `cpu` with its CPU time in µs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProxyIngress } from '../src/ingress-adapters/proxy/proxy-ingress.js';
import type { IngressRoutes } from '../src/ingress-adapters/types.js';

/** The body every request gets from the backend. */
export const BENCH_BODY = 'tugboat ingress bench\n';

/** Routes sending every host and path (Prefix /) to one endpoint, with the annotations' defaults. */
export function benchRoutes(port: number): IngressRoutes {
  return {
    hosts: [
      {
        host: '',
        tls: false,
        paths: [
          {
            path: '/',
            pathType: 'Prefix',
            backend: { name: 'default/bench:80', endpoints: [{ address: '127.0.0.1', port }] },
            options: { maxBodyBytes: 1 << 20, readTimeoutMs: 60_000, sslRedirect: true },
            ingress: { namespace: 'default', name: 'bench' },
          },
        ],
      },
    ],
    tls: [],
  };
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function main(): Promise<void> {
  const [role, arg] = process.argv.slice(2);
  let port: number;
  if (role === 'backend') {
    const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BENCH_BODY) });
      res.end(BENCH_BODY);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else if (role === 'proxy') {
    const proxy = new ProxyIngress({ className: 'bench' });
    port = (await proxy.start()).port;
    await proxy.apply(benchRoutes(Number(arg)));
  } else throw new Error(`ingress-child: unknown role ${role}`);
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: cpuMicros() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}

if (process.send) await main();
