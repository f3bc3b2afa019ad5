/**
 * A ConfigMap volume follows the ConfigMap on the process runtime: a real process reads the
 * mounted file (the folder in TUGBOAT_VOLUME_CFG) into its log every 100 ms, the ConfigMap is
 * updated, and the new content shows in the log of the same process; the subPath file does not change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { ConfigMap, Pod } from '../../../src/model/types.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { eventually } from '../../../src/testing.js';

describe('ConfigMap volumes on the process runtime', { timeout: 60_000 }, () => {
  let cluster: Cluster | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tugboat-proc-cm-'));
    cluster = await Cluster.start({
      name: `proc-cm-${process.pid}`,
      nodes: [{ name: 'node-1', runtime: new ProcessRuntime({ stateDir: dir }), resyncIntervalMs: 1_000 }],
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the new content to the running process', async () => {
    const c = cluster!;
    const cms = c.client<ConfigMap>('v1', 'ConfigMap', 'default');
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting' }, data: { msg: 'one' } } as ConfigMap);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'reader', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'cfg', configMap: { name: 'greeting' } }],
        containers: [
          {
            name: 'app',
            image: 'sh',
            command: ['sh', '-c', 'while true; do echo "$(cat "$TUGBOAT_VOLUME_CFG/msg")"; sleep 0.1; done'],
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
      },
    };
    await c.apply(pod);
    const lines = async () => {
      const out: string[] = [];
      for await (const l of c.logs('default', 'reader')) out.push(l.line);
      return out;
    };
    await eventually(async () => ((await lines()).includes('one') ? true : undefined), 'the first content');
    const cm = await cms.get('greeting');
    await cms.update({ ...cm, data: { msg: 'two' } } as ConfigMap);
    await eventually(async () => ((await lines()).includes('two') ? true : undefined), 'the new content', { timeoutMs: 20_000 });
    const p = await c.pods('default').get('reader');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});
