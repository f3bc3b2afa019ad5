/**
 * A process that died without `cluster.stop()` leaves its containers on the daemon; the next
 * `Cluster.start()` with that cluster name and node sweeps them (its store knows none of their
 * pods), so nothing leaks.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { dockerForTests, testClusterName } from '../../support/docker.js';
import { appContainers, clusterLeftovers, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-crash-sweep');
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'die-without-stop.ts');

describe.skipIf(!docker)('a cluster process that died without stop()', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('leaves containers that the next Cluster.start() on the daemon sweeps away', async () => {
    await removeLeftovers(name);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, name], {
      cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'),
      timeout: 90_000,
    });
    expect(stdout).toContain('READY');
    const orphans = await appContainers(name);
    expect(orphans).toHaveLength(2);
    expect(orphans.every((c) => c.state === 'running' && c.node === 'node-1')).toBe(true);
    expect((await clusterLeftovers(name)).filter((l) => l.startsWith('container'))).toHaveLength(4); // 2 pods + 2 sandboxes

    // A new process (here: a new Cluster with an empty store) starts with the same name and node.
    cluster = await startDockerCluster(name, ['node-1']);
    expect(await appContainers(name)).toEqual([]);
    expect((await clusterLeftovers(name)).filter((l) => !l.startsWith('network'))).toEqual([]);
    expect((await cluster.pods('default').list()).items).toEqual([]);

    await cluster.stop();
    cluster = undefined;
    expect(await clusterLeftovers(name)).toEqual([]);
  });

  it('a restart under another cluster and node name reclaims what the dead process left (found by its gone owner)', async () => {
    await removeLeftovers(name);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, name], {
      cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'),
      timeout: 90_000,
    });
    expect(stdout).toContain('READY');
    expect((await clusterLeftovers(name)).filter((l) => l.startsWith('container'))).toHaveLength(4);
    const other = `${name}-other`.slice(0, 40);
    cluster = await startDockerCluster(other, ['another-node']);
    expect(await clusterLeftovers(name)).toEqual([]); // containers and the dead instance's network
    await cluster.stop();
    cluster = undefined;
    expect(await clusterLeftovers(other)).toEqual([]);
  });
});
