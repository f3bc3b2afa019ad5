/** The shared ApiContext cases against the in-process context. */
import { afterAll, beforeAll } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { churn, HISTORY } from '../../support/churn-history.js';
import type { ApiServer } from '../../../src/cluster/api-server.js';
import { runApiContextCases } from '../../conformance/api-context.cases.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await Cluster.start({ controllers: false, scheduler: false, store: new MemoryStore({ historySize: HISTORY }) });
});
afterAll(async () => {
  await cluster?.stop();
});

// The user's context of the cluster's in-process API server (the one cluster.serve() serves over HTTP).
runApiContextCases('in-process', {
  ctx: () => (cluster as unknown as { apiServer: ApiServer }).apiServer.userContext,
  compact: () => churn(cluster),
});
