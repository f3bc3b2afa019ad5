/**
 * Two API layers in two processes on one etcd serve the same cluster (Kubernetes' several
 * kube-apiservers on one etcd): a CRD created through one is served by the other (it learns the
 * kind from its etcd watch), and an object written through either is watched through the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { EtcdStore } from '../../../src/etcd.js';
import type { KubeObject } from '../../../src/model/types.js';
import { eventually } from '../../../src/testing.js';
import { SHARED_ETCD, etcdForTests, uniquePrefix } from '../../support/etcd.js';
import { widget, widgetCrd } from '../../support/widget-crd.js';

const run = await etcdForTests();
const here = path.dirname(fileURLToPath(import.meta.url));
const WIDGETS_PATH = '/apis/example.com/v1/namespaces/default/widgets';

describe.runIf(run)('two API layers in two processes on one etcd', { timeout: 120_000 }, () => {
  const prefix = uniquePrefix('two-layers');
  let child: ChildProcess | undefined;
  let local: Cluster | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.stdin?.end();
      await exited;
    }
    await local?.stop();
  });

  it('serve one cluster: a CRD made through one is served by the other, and writes through either are watched through the other', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'api-layer.fixture.ts'), SHARED_ETCD, prefix], {
      cwd: path.resolve(here, '../../..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let url = '';
    let token = '';
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('SERVING ')) {
        [, url, token] = line.split(' ');
        break;
      }
    }
    expect(url).toMatch(/^http:\/\//);
    const http = (p: string, init: RequestInit = {}) =>
      fetch(`${url}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

    // This process's API layer on the same prefix.
    local = await Cluster.start({
      name: 'two-layers',
      store: new EtcdStore({ endpoints: [SHARED_ETCD], prefix }),
      controllers: false,
      scheduler: false,
    });
    await local.apply(widgetCrd());
    const listed = await eventually(
      async () => {
        const res = await http(WIDGETS_PATH);
        return res.status === 200 ? ((await res.json()) as { metadata: { resourceVersion: string } }) : undefined;
      },
      'the other API layer serves the CRD made here',
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    // A watch through the other process sees what this one writes.
    const watch = await http(`${WIDGETS_PATH}?watch=1&resourceVersion=${listed.metadata.resourceVersion}`);
    expect(watch.status).toBe(200);
    const lines = createInterface({ input: Readable.fromWeb(watch.body as never) })[Symbol.asyncIterator]();
    const made = await local.client('example.com/v1', 'Widget', 'default').create(widget('here'));
    const event = JSON.parse((await lines.next()).value as string) as { type: string; object: KubeObject };
    expect(event.type).toBe('ADDED');
    expect(event.object.metadata.uid).toBe(made.metadata.uid);
    expect(event.object.metadata.resourceVersion).toBe(made.metadata.resourceVersion);

    // ...and this process's watch sees what is written through the other.
    const seen = local.client('example.com/v1', 'Widget', 'default').watch({ resourceVersion: made.metadata.resourceVersion });
    const res = await http(WIDGETS_PATH, { method: 'POST', body: JSON.stringify(widget('there', { namespace: 'default' })) });
    expect(res.status).toBe(201);
    const there = (await res.json()) as KubeObject;
    for await (const e of seen) {
      expect(e.type).toBe('ADDED');
      expect(e.object.metadata.name).toBe('there');
      expect(e.object.metadata.uid).toBe(there.metadata.uid);
      break;
    }
    await watch.body?.cancel().catch(() => undefined);
  });
});
