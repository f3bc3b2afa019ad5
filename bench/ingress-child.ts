/**
 * The processes of the ingress benchmark besides the load generator (bench/ingress.ts forks this
 * file): `backend` is a keep-alive Node HTTP server answering a small body; `proxy` is a
 * ProxyIngress routing every host and path to the backend, alone in its process as nginx is in
 * its own; `floor` is the least a proxy on the same parts can do (Node's HTTP server in front,
 * undici's Pool.dispatch behind, the client's raw headers forwarded and the backend's written back
 * as they are: no routing, no header rules, no retries), the yardstick for ProxyIngress's own cost.
 * Each prints its port on the IPC channel and answers `cpu` with its CPU time in µs.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dispatcher, Pool } from 'undici';
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

/** The floor's handler: the backend's answer written back as it comes. */
function floorHandler(res: ServerResponse): Dispatcher.DispatchHandler {
  return {
    onConnect() {},
    onError(e: Error) {
      res.destroy(e);
    },
    onHeaders(status: number, raw: Buffer[]) {
      const headers: string[] = [];
      for (let i = 0; i < raw.length; i += 2)
        headers.push((raw[i] as Buffer).toString('latin1'), (raw[i + 1] as Buffer).toString('latin1'));
      res.writeHead(status, headers);
      return true;
    },
    onData(chunk: Buffer) {
      res.write(chunk);
      return true; // the bench's body is one small chunk: no backpressure to relay
    },
    onComplete() {
      res.end();
    },
  };
}

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
  } else if (role === 'floor') {
    // The same pool and server options as ProxyIngress's.
    const pool = new Pool(`http://127.0.0.1:${Number(arg)}`, { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000, pipelining: 1 });
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      pool.dispatch({ path: req.url ?? '/', method: 'GET', headers: req.rawHeaders }, floorHandler(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else throw new Error(`ingress-child: unknown role ${role}`);
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: cpuMicros() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}

if (process.send) await main();
