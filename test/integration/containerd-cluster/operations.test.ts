/**
 * A cluster on containerd through the operations a node lives through: a node agent restarted
 * while its pods run (a new agent of the same instance adopts the tasks, starts no duplicates,
 * and their output goes on reaching the logs), a pause task killed behind tugboat's back (the
 * pod is healed in a new sandbox), cluster.logs and cluster.exec, stop() right after apply and
 * after killNode leaking nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { Deployment } from '../../../src/model/types.js';
import { NodeAgent } from '../../../src/node-agent/node-agent.js';
import { ContainerdRuntime } from '../../../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../support/containerd.js';
import { TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { eventually, httpdDeployment, httpGet, podReady, podsOf, rolledOut } from '../../support/docker-cluster.js';

const containerd = await containerdForTests();
const ns = CONTAINERD_TEST_NAMESPACE;
const ctr = async (...args: string[]) => (await promisify(execFile)('ctr', ['-n', ns, ...args])).stdout;

/** The ids of a cluster's containerd containers by role. */
async function ids(cluster: string, role: 'sandbox' | 'container', podUid?: string): Promise<string[]> {
  const filter = [`labels."${RUNTIME_LABELS.cluster}"==${cluster}`, `labels."${RUNTIME_LABELS.role}"==${role}`];
  if (podUid) filter.push(`labels."${RUNTIME_LABELS.podUid}"==${podUid}`);
  return (await ctr('containers', 'ls', '-q', filter.join(','))).split('\n').filter(Boolean).sort();
}

/** What a stopped cluster left: containers in the namespace, its instance folder, its record. */
async function leftovers(c: Cluster, name: string): Promise<string[]> {
  const folder = path.join(os.tmpdir(), 'tugboat-containerd', ns, c.nodePool.instance.id);
  return [
    ...(await ids(name, 'sandbox')).map((id) => `sandbox ${id}`),
    ...(await ids(name, 'container')).map((id) => `container ${id}`),
    ...(existsSync(folder) ? [`folder ${folder}`] : []),
    ...(existsSync(c.nodePool.instance.owner.record) ? ['instance record'] : []),
  ];
}

const start = (name: string, nodes = ['node-1']) =>
  Cluster.start({ name, nodes: nodes.map((n) => ({ name: n, runtime: new ContainerdRuntime({ namespace: ns }) })) });

/** A pod printing five lines then a tick every 200 ms, and a side container. */
function talker(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'talker', namespace: 'default' },
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
              imagePullPolicy: 'Never',
              command: [
                'sh',
                '-c',
                'trap "exit 0" TERM; for i in 1 2 3 4 5; do echo line-$i; done; while :; do sleep 0.2; echo tick; done & wait $!',
              ],
              env: [{ name: 'GREETING', value: 'ahoy' }],
            },
            {
              name: 'side',
              image: TEST_IMAGE,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', 'trap "exit 0" TERM; echo side-up; sleep 3600 & wait $!'],
            },
          ],
        },
      },
    },
  };
}

describe.skipIf(!containerd)('a cluster on containerd: restarts, faults, logs, exec, stop', { timeout: 240_000 }, () => {
  const open: Cluster[] = [];
  afterAll(async () => {
    for (const c of open) await c.stop().catch(() => undefined);
  });

  it('a restarted node agent adopts the running tasks, starts no duplicates, and their logs go on', async () => {
    const name = testClusterName('containerd-agent-restart');
    const cluster = await start(name);
    open.push(cluster);
    await cluster.apply(httpdDeployment('web', 3));
    await cluster.apply(talker());
    await rolledOut(cluster, 'web');
    await rolledOut(cluster, 'talker');
    const before = await ids(name, 'container');
    const sandboxesBefore = await ids(name, 'sandbox');
    expect(before).toHaveLength(5);
    await cluster.nodePool.get('node-1').stop();
    const runtime = new ContainerdRuntime({ namespace: ns });
    const second = new NodeAgent(cluster.context, {
      name: 'node-1',
      runtime,
      clusterName: name,
      instance: cluster.nodePool.instance,
    });
    await second.start();
    try {
      await cluster.scale('default', 'Deployment', 'web', 4);
      await rolledOut(cluster, 'web');
      const after = await ids(name, 'container');
      for (const id of before) expect(after).toContain(id);
      expect(after).toHaveLength(6);
      const sandboxesAfter = await ids(name, 'sandbox');
      expect(sandboxesAfter).toHaveLength(5);
      for (const id of sandboxesBefore) expect(sandboxesAfter).toContain(id);
      for (const pod of await podsOf(cluster, 'web')) {
        expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
        expect((await httpGet(pod.status?.podIP ?? '', 8080)).body.trim()).toBe('tugboat 1');
      }
      // The talker's output, read by the new agent's runtime (the cluster's verbs know only its own agents), keeps growing.
      const [t] = await podsOf(cluster, 'talker');
      const [main] = await runtime.listContainers({ [RUNTIME_LABELS.podUid]: t!.metadata.uid!, [RUNTIME_LABELS.container]: 'main' });
      const count = async () => {
        let n = 0;
        for await (const l of runtime.logs(main!.id)) if (l.line === 'tick') n++;
        return n;
      };
      const ticks = await count();
      await eventually(async () => (await count()) > ticks + 3, 'ticks after the restart');
    } finally {
      await second.stop();
    }
    await cluster.stop();
    open.pop();
    expect(await leftovers(cluster, name)).toEqual([]);
  });

  it('cluster.logs (tail, by container, follow) and cluster.exec reach the tasks', async () => {
    const name = testClusterName('containerd-logs-exec');
    const cluster = await start(name);
    open.push(cluster);
    await cluster.apply(talker());
    await rolledOut(cluster, 'talker');
    const pod = (await podsOf(cluster, 'talker'))[0]!.metadata.name!;
    const all: string[] = [];
    for await (const l of cluster.logs('default', pod, { container: 'main' })) all.push(l.line);
    expect(all.slice(0, 5)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5']);
    const side: string[] = [];
    for await (const l of cluster.logs('default', pod, { container: 'side' })) side.push(l.line);
    expect(side).toEqual(['side-up']);
    const tail: string[] = [];
    for await (const l of cluster.logs('default', pod, { container: 'main', tail: 2 })) tail.push(l.line);
    expect(tail).toHaveLength(2);
    const abort = new AbortController();
    let ticks = 0;
    for await (const l of cluster.logs('default', pod, { container: 'main', follow: true, tail: 1, signal: abort.signal })) {
      if (l.line === 'tick' && ++ticks === 3) abort.abort();
    }
    expect(ticks).toBe(3);
    expect(await cluster.exec('default', pod, ['sh', '-c', 'echo $GREETING; exit 3'], 'main')).toEqual({
      exitCode: 3,
      stdout: 'ahoy\n',
      stderr: '',
    });
    await cluster.stop();
    open.pop();
    expect(await leftovers(cluster, name)).toEqual([]);
  });

  it('a pause task killed behind its back: the pod is healed in a new sandbox, restartCount rising', async () => {
    const name = testClusterName('containerd-faults');
    const cluster = await start(name);
    open.push(cluster);
    await cluster.apply(httpdDeployment('web', 1));
    await rolledOut(cluster, 'web');
    const [pod] = await podsOf(cluster, 'web');
    const uid = pod!.metadata.uid!;
    const [sandbox] = await ids(name, 'sandbox', uid);
    await ctr('tasks', 'kill', '-s', 'SIGKILL', sandbox!);
    const healed = await eventually(
      async () => {
        const [p] = await podsOf(cluster, 'web');
        if (!p || !podReady(p) || (p.status?.containerStatuses?.[0]?.restartCount ?? 0) < 1) return undefined;
        const res = await httpGet(p.status?.podIP ?? '', 8080, '/', 1000).catch(() => undefined);
        return res?.body.trim() === 'tugboat 1' ? p : undefined;
      },
      'the pod healed in a new sandbox',
      90_000,
    );
    expect(healed.metadata.uid).toBe(uid);
    const running = (await ctr('tasks', 'ls')).split('\n');
    const sandboxes = await ids(name, 'sandbox', uid);
    expect(sandboxes.filter((id) => running.some((l) => l.startsWith(id) && l.includes('RUNNING')))).toHaveLength(1);
    expect(sandboxes.find((id) => running.some((l) => l.startsWith(id) && l.includes('RUNNING')))).not.toBe(sandbox);
    await cluster.stop();
    open.pop();
    expect(await leftovers(cluster, name)).toEqual([]);
  });

  it('stop() soon after apply, and after killNode, leaks nothing', async () => {
    const name = testClusterName('containerd-stop');
    for (const delayMs of [50, 300]) {
      const c = await start(name);
      await c.apply(httpdDeployment('web', 4));
      await sleep(delayMs);
      await c.stop();
      expect(await leftovers(c, name), `stop after ${delayMs} ms`).toEqual([]);
    }
    const c = await start(name, ['node-1', 'node-2']);
    await c.apply(httpdDeployment('web', 4));
    await rolledOut(c, 'web');
    await c.killNode('node-1');
    await c.stop();
    expect(await leftovers(c, name)).toEqual([]);
  });
});
