/**
 * kubectl pages its lists (`--chunk-size`, 500 by default) with limit and continue: every chunk
 * of `kubectl get` comes from one snapshot, in name order, in Table and in JSON output alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { ServedApi } from '../../../src/server/types.js';
import { type Kubectl, kubectlAvailable, startServedKubectl, stopServedKubectl } from '../../support/kubectl.js';

const COUNT = 25;
const NAMES = Array.from({ length: COUNT }, (_, i) => `c-${String(i).padStart(2, '0')}`);

describe.skipIf(!kubectlAvailable())('kubectl get --chunk-size against cluster.serve()', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let k: Kubectl;

  beforeAll(async () => {
    ({ cluster, api, k } = await startServedKubectl());
    await cluster.namespaces().create({ metadata: { name: 'chunks' } });
    for (const name of NAMES) await cluster.configMaps('chunks').create({ metadata: { name }, data: { n: name } });
  });
  afterAll(() => stopServedKubectl({ cluster, k }));

  /** The list requests kubectl logged at -v=6 (`GET <url> 200 OK`). */
  const listRequests = (stderr: string, namespace = 'chunks'): string[] =>
    stderr.split('\n').filter((l) => l.includes(`GET ${api.url}/api/v1/namespaces/${namespace}/configmaps?`));

  it('reads every object in chunks of 2 (13 requests, each after the first with a continue token), as a Table', async () => {
    const r = await k.run(['get', 'configmaps', '-n', 'chunks', '--chunk-size=2', '-v=6']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(rows.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
    const requests = listRequests(r.stderr);
    expect(requests).toHaveLength(13);
    expect(requests.slice(1).every((l) => l.includes('continue='))).toBe(true);
  });

  it('pages -o name and -o json alike; a bad continue token is a BadRequest', async () => {
    const names = await k.ok(['get', 'configmaps', '-n', 'chunks', '--chunk-size=3', '-o', 'name']);
    expect(names.trim().split('\n')).toEqual(NAMES.map((n) => `configmap/${n}`));
    const json = JSON.parse(await k.ok(['get', 'configmaps', '-n', 'chunks', '--chunk-size=4', '-o', 'json']));
    expect(json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(NAMES);
    const bad = await k.run(['get', '--raw', '/api/v1/namespaces/chunks/configmaps?limit=2&continue=nonsense']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('continue key is not valid');
  });

  it('the chunks are one snapshot: an object deleted and one created after the first chunk do not change the output', async () => {
    await cluster.namespaces().create({ metadata: { name: 'chunks-snap' } });
    const cms = cluster.configMaps('chunks-snap');
    for (const name of NAMES) await cms.create({ metadata: { name } });
    const { child } = k.spawn(['get', 'configmaps', '-n', 'chunks-snap', '--chunk-size=1', '-o', 'name', '-v=6']);
    let stdout = '';
    let stderr = '';
    let wrote: Promise<void> | undefined;
    let afterWrites = -1;
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (wrote) return;
      // The first chunk was served: change the objects the later chunks hold.
      if (/configmaps\?limit=1 200 OK/.test(stderr)) {
        wrote = (async () => {
          await cms.delete('c-24');
          await cms.create({ metadata: { name: 'c-23a' } });
          afterWrites = stderr.length;
        })();
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await wrote;
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(NAMES.map((n) => `configmap/${n}`));
    // The writes landed while kubectl was still reading chunks (else this test proves nothing).
    expect(afterWrites).toBeGreaterThan(0);
    expect(listRequests(stderr.slice(afterWrites), 'chunks-snap').length).toBeGreaterThan(1);
    expect((await cms.list()).items.map((c) => c.metadata.name)).toContain('c-23a');
  });
});
