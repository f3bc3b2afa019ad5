/** The shared ApiContext cases against the HTTP ApiContext over `cluster.serve()`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { churn, HISTORY } from '../../support/churn-history.js';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { parseKubeconfig } from '../../../src/client/http/kubeconfig.js';
import { kinds } from '../../../src/client/kinds.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { ServedApi } from '../../../src/server/types.js';
import { runApiContextCases } from '../../conformance/api-context.cases.js';

let cluster: Cluster;
let api: ServedApi;
let ctx: HttpApiContext;
beforeAll(async () => {
  cluster = await Cluster.start({ controllers: false, scheduler: false, store: new MemoryStore({ historySize: HISTORY }) });
  api = await cluster.serve();
  ctx = await HttpApiContext.connect(api.kubeconfig);
});
afterAll(async () => {
  await ctx?.close();
  await cluster?.stop();
});

runApiContextCases('HTTP (cluster.serve)', { ctx: () => ctx, compact: () => churn(cluster) });

describe('HttpApiContext', () => {
  it("sends client-go's User-Agent form naming its component, which the server makes the manager of its writes", async () => {
    const cm = await HttpApiContext.connect(api.kubeconfig, { component: 'controller-manager', version: '1.2.3' });
    try {
      await cm
        .client(kinds.ConfigMap, 'default')
        .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ua-managed' }, data: { a: '1' } });
      const stored = await cluster.configMaps().get('ua-managed');
      expect(stored.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([['tugboat-controller-manager', 'Update']]);
    } finally {
      await cm.close();
    }
  });

  it('reads server, CA and token or client certificate from a kubeconfig, and fails naming a missing field', () => {
    const conn = parseKubeconfig(api.kubeconfig);
    expect(conn.server).toBe(api.url);
    expect(conn.ca).toBe(api.ca);
    expect(conn.token).toBe(api.token);
    const cert = parseKubeconfig(api.kubeconfigFor('alice', ['system:masters']));
    expect(cert.cert).toContain('BEGIN CERTIFICATE');
    expect(cert.key).toContain('PRIVATE KEY');
    expect(() => parseKubeconfig('apiVersion: v1\nkind: Config\n')).toThrow(/contexts/);
  });

  it('authenticates with a client certificate, and the server authorizes that user', async () => {
    const alice = await HttpApiContext.connect(api.kubeconfigFor('alice', ['system:masters']));
    const bob = await HttpApiContext.connect(api.kubeconfigFor('bob')).catch((e) => e);
    try {
      expect((await alice.client(kinds.Namespace).get('default')).metadata.name).toBe('default');
      // bob has no role: even discovery is his, and a read is Forbidden.
      if (bob instanceof HttpApiContext) {
        const err = await bob
          .client(kinds.ConfigMap, 'default')
          .list()
          .catch((e) => e);
        expect(TugboatError.is(err, 'Forbidden')).toBe(true);
        await bob.close();
      } else expect(TugboatError.is(bob, 'Forbidden')).toBe(true);
    } finally {
      await alice.close();
    }
  });

  it('a watch from a version older than the server keeps answers Expired, so a list-watch relists', async () => {
    const err = await (async () => {
      for await (const _ of ctx.client(kinds.ConfigMap, 'default').watch({ resourceVersion: '1' })) break;
    })().catch((e) => e);
    // Either the history still holds version 1 (no error), or the watch fails Expired (410).
    if (err !== undefined) expect(TugboatError.is(err, 'Expired')).toBe(true);
  });

  it('an unknown kind fails BadRequest naming it', () => {
    expect(() => ctx.client('nope.example.com/v1', 'Nope')).toThrow(/no matches for kind "Nope"/);
  });
});
