/**
 * A cluster serving its API over HTTPS for the tests of the REST API (test/integration/server/)
 * and kubectl's (kubectl.ts builds on it): neither controllers nor scheduler unless asked for.
 */
import { afterAll, beforeAll } from 'vitest';
import { Cluster, type ClusterOptions } from '../../src/cluster/cluster.js';
import type { ServedApi } from '../../src/server/types.js';

/** A started cluster and what its `serve()` answered. */
export interface ServedCluster {
  cluster: Cluster;
  api: ServedApi;
}

/**
 * Starts a cluster (`{ controllers: false, scheduler: false }`, then `options`) and serves it;
 * when serving fails the cluster is stopped again. Stop it with `cluster.stop()`.
 */
export async function startServedCluster(options: ClusterOptions = {}): Promise<ServedCluster> {
  const cluster = await Cluster.start({ controllers: false, scheduler: false, ...options });
  try {
    return { cluster, api: await cluster.serve() };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/**
 * For a describe block: starts a served cluster ({@link startServedCluster}) in its `beforeAll`
 * and stops it in its `afterAll`. The object returned is filled in once `beforeAll` has run.
 */
export function servedClusterPerSuite(options: ClusterOptions = {}): ServedCluster {
  const served = {} as ServedCluster;
  beforeAll(async () => {
    Object.assign(served, await startServedCluster(options));
  });
  afterAll(async () => {
    await served.cluster?.stop();
  });
  return served;
}
