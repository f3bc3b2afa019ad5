/**
 * `cluster.logs` and `cluster.exec` on real Docker containers: what kubectl logs and kubectl exec do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Deployment } from '../../../src/model/types.js';
import { TEST_IMAGE, dockerForTests, testClusterName } from '../../support/docker.js';
import { podsOf, removeLeftovers, rolledOut, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('docker-cluster-logs-exec');

const talker: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'talker' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'talker' } },
    template: {
      metadata: { labels: { app: 'talker' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'main',
            image: TEST_IMAGE,
            command: [
              'sh',
              '-c',
              'trap "exit 0" TERM; for i in 1 2 3 4 5; do echo line-$i; done; while :; do sleep 0.2; echo tick; done & wait $!',
            ],
            env: [{ name: 'GREETING', value: 'ahoy' }],
          },
          { name: 'side', image: TEST_IMAGE, command: ['sh', '-c', 'trap "exit 0" TERM; echo side-up; sleep 3600 & wait $!'] },
        ],
      },
    },
  },
};

describe.skipIf(!docker)('cluster.logs and cluster.exec on Docker', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;
  let pod = '';

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
    await cluster.apply(talker);
    await rolledOut(cluster, 'talker');
    pod = (await podsOf(cluster, 'talker'))[0].metadata.name!;
  });
  afterAll(async () => {
    await cluster?.stop();
    await removeLeftovers(name);
  });

  it('reads a container log, with tail, and picks the container by name', async () => {
    const all: string[] = [];
    for await (const l of cluster!.logs('default', pod, { container: 'main' })) all.push(l.line);
    expect(all.slice(0, 5)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5']);
    const side: string[] = [];
    for await (const l of cluster!.logs('default', pod, { container: 'side' })) side.push(l.line);
    expect(side).toEqual(['side-up']);
    const tail: string[] = [];
    for await (const l of cluster!.logs('default', pod, { container: 'main', tail: 2 })) tail.push(l.line);
    expect(tail).toHaveLength(2);
  });

  it('follows a log until aborted', async () => {
    const abort = new AbortController();
    let ticks = 0;
    for await (const l of cluster!.logs('default', pod, { container: 'main', follow: true, tail: 1, signal: abort.signal })) {
      if (l.line === 'tick' && ++ticks === 3) abort.abort();
    }
    expect(ticks).toBe(3);
  });

  it('runs a command in a container with its environment', async () => {
    const out = await cluster!.exec('default', pod, ['sh', '-c', 'echo $GREETING; exit 3'], 'main');
    expect(out).toEqual({ exitCode: 3, stdout: 'ahoy\n', stderr: '' });
  });

  it('names the problem when the pod or container does not exist', async () => {
    await expect(cluster!.exec('default', 'nope', ['true'])).rejects.toThrow(/not found/);
    await expect(cluster!.exec('default', pod, ['true'], 'ghost')).rejects.toThrow(/ghost/);
  });
});
