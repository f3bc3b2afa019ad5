/**
 * Keep-alive connection pools to backend endpoints (undici's Pool, one per endpoint), picked
 * round-robin per backend. A pool whose endpoint left every route is closed gracefully: the
 * requests it carries finish first.
 */
import { Pool } from 'undici';
import type { RouteBackend, RouteEndpoint, IngressRoutes } from '../types.js';

const origin = (ep: RouteEndpoint): string => `http://${ep.address.includes(':') ? `[${ep.address}]` : ep.address}:${ep.port}`;

/** The pools of one adapter. */
export class BackendPools {
  private readonly pools = new Map<string, Pool>();
  private readonly next = new Map<string, number>();

  /** The endpoints of a backend in the order to try them: round-robin from the next one. */
  order(backend: RouteBackend): RouteEndpoint[] {
    const n = backend.endpoints.length;
    if (n <= 1) return backend.endpoints;
    const start = (this.next.get(backend.name) ?? 0) % n;
    this.next.set(backend.name, start + 1);
    return [...backend.endpoints.slice(start), ...backend.endpoints.slice(0, start)];
  }

  /** The pool of an endpoint, made on first use. */
  pool(ep: RouteEndpoint): Pool {
    const key = origin(ep);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(key, { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000, pipelining: 1, connectTimeout: 5_000 });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes (gracefully) the pools of endpoints the new routes no longer name. */
  retain(routes: IngressRoutes): void {
    const keep = new Set<string>();
    const add = (b: RouteBackend): void => {
      for (const ep of b.endpoints) keep.add(origin(ep));
    };
    for (const h of routes.hosts) for (const p of h.paths) add(p.backend);
    if (routes.defaultBackend) add(routes.defaultBackend.backend);
    for (const [key, pool] of this.pools) {
      if (keep.has(key)) continue;
      this.pools.delete(key);
      void pool.close().catch(() => undefined);
    }
  }

  /** Destroys every pool. */
  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
