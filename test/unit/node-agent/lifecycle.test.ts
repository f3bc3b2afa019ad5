import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { Pod } from '../../../src/model/types.js';
import { NodeAgent } from '../../../src/node-agent/node-agent.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { RecordingRuntime, startHarness, stateOf, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('NodeAgent: termination', () => {
  it('deletes gracefully: preStop hook, SIGTERM, the grace period, then removes the pod', async () => {
    h = await startHarness();
    const hooks: string[][] = [];
    h.runtime.image('slowstop:1', { stopMs: 5000, exec: (cmd) => (hooks.push(cmd), { exitCode: 0, stdout: '', stderr: '' }) });
    await h.run('p', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'c', image: 'slowstop:1', lifecycle: { preStop: { exec: { command: ['drain'] } } } }],
    });
    await h.pods.delete('p');
    await h.clock.advance(0);
    const deleting = await h.pods.find('p');
    expect(deleting?.metadata.deletionTimestamp).toBeDefined();
    expect(hooks).toEqual([['drain']]);
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })[0].state).toBe('running');
    await h.clock.advance(5000);
    expect(await h.pods.find('p')).toBeUndefined();
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })).toHaveLength(0);
    expect(h.runtime.size).toBe(0);
  });

  it('runs a preStop sleep before SIGTERM: the container keeps running for the seconds given', async () => {
    h = await startHarness();
    await h.run('p', {
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'c', image: 'web:1', lifecycle: { preStop: { sleep: { seconds: 5 } } } }],
    });
    await h.pods.delete('p');
    await h.clock.advance(4_999);
    expect((await h.pods.find('p'))?.metadata.deletionTimestamp).toBeDefined();
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })[0].state).toBe('running');
    await h.clock.advance(1);
    expect(await h.pods.find('p')).toBeUndefined();
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })).toHaveLength(0);
  });

  it('cuts a preStop sleep short at the grace period of the delete', async () => {
    h = await startHarness();
    await h.run('p', {
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'c', image: 'web:1', lifecycle: { preStop: { sleep: { seconds: 30 } } } }],
    });
    await h.pods.delete('p', { gracePeriodSeconds: 3 });
    await h.clock.advance(2_999);
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })[0].state).toBe('running');
    await h.clock.advance(1);
    expect(await h.pods.find('p')).toBeUndefined();
  });

  it('runs a preStop httpGet against the container, a failed one recorded as FailedPreStopHook before the stop', async () => {
    h = await startHarness();
    h.runtime.image('noanswer:1', { readyAfterMs: 1e9 });
    await h.run('p', {
      terminationGracePeriodSeconds: 10,
      containers: [{ name: 'c', image: 'noanswer:1', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }],
    });
    await h.pods.delete('p');
    await h.clock.advance(0);
    const events = (await h.cluster.events.list('default')).filter((e) => e.reason === 'FailedPreStopHook');
    expect(events.map((e) => e.message)).toEqual(['PreStopHook failed: http://pod:8080/drain: connection refused']);
    expect(await h.pods.find('p')).toBeUndefined();
  });

  it('fails a tcpSocket preStop hook as the 1.30 kubelet does (FailedPreStopHook), then stops the pod as usual', async () => {
    h = await startHarness();
    await h.run('p', {
      terminationGracePeriodSeconds: 10,
      containers: [{ name: 'c', image: 'web:1', lifecycle: { preStop: { tcpSocket: { port: 8080 } } } }],
    });
    await h.pods.delete('p');
    await h.clock.advance(0);
    const events = (await h.cluster.events.list('default')).filter((e) => e.reason === 'FailedPreStopHook');
    expect(events.map((e) => [e.type, e.message])).toEqual([
      ['Warning', expect.stringMatching(/^PreStopHook failed: Cannot run handler: invalid handler: tcpSocket is not supported/)],
    ]);
    expect(await h.pods.find('p')).toBeUndefined();
  });

  it('fails a tcpSocket postStart hook as the 1.30 kubelet does: FailedPostStartHook and the container killed', async () => {
    h = await startHarness();
    await h.run('p', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'web:1', lifecycle: { postStart: { tcpSocket: { port: 8080 } } } }],
    });
    await h.clock.advance(0);
    const events = (await h.cluster.events.list('default')).filter((e) => e.reason === 'FailedPostStartHook');
    expect(events.map((e) => [e.type, e.message])).toEqual([
      ['Warning', expect.stringMatching(/^PostStartHook failed: Cannot run handler: invalid handler: tcpSocket is not supported/)],
    ]);
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })[0].state).toBe('exited');
  });

  it('waits out a postStart sleep before it starts the next container', async () => {
    h = await startHarness();
    await h.run('p', {
      containers: [
        { name: 'first', image: 'web:1', lifecycle: { postStart: { sleep: { seconds: 5 } } } },
        { name: 'second', image: 'web:1' },
      ],
    });
    const names = () => h!.runtime.containers({ namespace: 'default', pod: 'p' }).map((c) => c.labels?.[RUNTIME_LABELS.container]);
    expect(names()).toEqual(['first']);
    await h.clock.advance(4_999);
    expect(names()).toEqual(['first']);
    await h.clock.advance(1);
    expect(names().sort()).toEqual(['first', 'second']);
  });

  it('kills a container that ignores SIGTERM when the grace period ends', async () => {
    h = await startHarness();
    h.runtime.image('stubborn:1', { ignoresTerm: true });
    await h.run('p', { terminationGracePeriodSeconds: 10, containers: [{ name: 'c', image: 'stubborn:1' }] });
    await h.pods.delete('p');
    await h.clock.advance(9_999);
    expect(await h.pods.find('p')).toBeDefined();
    await h.clock.advance(1);
    expect(await h.pods.find('p')).toBeUndefined();
  });

  it('fails a pod past activeDeadlineSeconds with DeadlineExceeded and stops its containers', async () => {
    h = await startHarness();
    await h.run('p', { activeDeadlineSeconds: 60, containers: [{ name: 'c', image: 'web:1' }] });
    await h.clock.advance(59_000);
    expect((await h.pod('p')).status?.phase).toBe('Running');
    await h.clock.advance(1_000);
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.reason).toBe('DeadlineExceeded');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toMatch(/^terminated:/);
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' })[0].state).toBe('exited');
  });

  it('keeps the exited containers of a finished pod until it is deleted', async () => {
    h = await startHarness();
    h.runtime.image('job:1', { exitAfterMs: 1000 });
    await h.run('j', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'job:1' }] });
    await h.clock.advance(1000);
    expect((await h.pod('j')).status?.phase).toBe('Succeeded');
    await h.clock.advance(60_000);
    expect(h.runtime.containers({ namespace: 'default', pod: 'j' })).toHaveLength(1);
    await h.pods.delete('j');
    await h.clock.advance(0);
    expect(h.runtime.containers({ namespace: 'default', pod: 'j' })).toHaveLength(0);
  });
});

describe('NodeAgent: adoption and sweep', () => {
  it('a new agent over the same runtime adopts running containers and starts no duplicates', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const cluster = await Cluster.start({ clock, name: 'test', scheduler: false });
    const runtime = new RecordingRuntime();
    const first = new NodeAgent(cluster.context, { name: 'node-a', runtime, clusterName: 'test' });
    await first.start();
    const pods = cluster.client<Pod>('v1', 'Pod', 'default');
    for (const name of ['a', 'b']) {
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'web:1' }] },
      } as Pod);
    }
    await clock.advance(0);
    runtime.crash({ namespace: 'default', pod: 'b' });
    await clock.advance(10_000);
    expect(((await pods.get('b')) as Pod).status?.containerStatuses?.[0].restartCount).toBe(1);
    await first.stop();
    const creates = runtime.calls.creates;
    const sandboxes = runtime.calls.sandboxes;

    const second = new NodeAgent(cluster.context, { name: 'node-a', runtime, clusterName: 'test' });
    await second.start();
    await clock.advance(60_000);
    expect(runtime.calls.creates).toBe(creates);
    expect(runtime.calls.sandboxes).toBe(sandboxes);
    expect(runtime.containers({ namespace: 'default', pod: 'a' }).filter((c) => c.state === 'running')).toHaveLength(1);
    const b = (await pods.get('b')) as Pod;
    expect(b.status?.containerStatuses?.[0].restartCount).toBe(1);
    expect(stateOf(b.status?.containerStatuses?.[0])).toBe('running');
    // The adopted containers are driven: a crash is restarted by the new agent.
    runtime.crash({ namespace: 'default', pod: 'a' });
    await clock.advance(10_000);
    expect(((await pods.get('a')) as Pod).status?.containerStatuses?.[0].restartCount).toBe(1);
    await second.stop({ removePods: true });
    expect(runtime.size).toBe(0);
    await cluster.stop();
  });

  it('sweeps containers of pods the API does not know', async () => {
    h = await startHarness();
    await h.run('keep', { containers: [{ name: 'c', image: 'web:1' }] });
    await h.agent.stop();
    const labels = {
      [RUNTIME_LABELS.cluster]: 'test',
      [RUNTIME_LABELS.node]: 'node-a',
      [RUNTIME_LABELS.podUid]: 'ghost-uid',
      [RUNTIME_LABELS.namespace]: 'default',
      [RUNTIME_LABELS.podName]: 'ghost',
    };
    const sb = await h.runtime.runSandbox({
      podUid: 'ghost-uid',
      namespace: 'default',
      podName: 'ghost',
      hostname: 'ghost',
      labels: { ...labels, [RUNTIME_LABELS.role]: 'sandbox' },
      ports: [],
    });
    const id = await h.runtime.createContainer(sb.id, {
      name: 'c',
      image: 'web:1',
      env: {},
      mounts: [],
      ports: [],
      resources: {},
      labels: { ...labels, [RUNTIME_LABELS.container]: 'c', [RUNTIME_LABELS.attempt]: '0', [RUNTIME_LABELS.role]: 'container' },
    });
    await h.runtime.startContainer(id);
    // A container of another cluster is not touched.
    const other = await h.runtime.runSandbox({
      podUid: 'x',
      namespace: 'default',
      podName: 'x',
      hostname: 'x',
      labels: { ...labels, [RUNTIME_LABELS.cluster]: 'other', [RUNTIME_LABELS.podUid]: 'x' },
      ports: [],
    });
    // A new agent for the node, as the cluster would start it (same runtime instance identity).
    h.agent = new NodeAgent(h.cluster.context, {
      name: 'node-a',
      runtime: h.runtime,
      clusterName: 'test',
      instance: h.cluster.nodePool.instance,
    });
    await h.agent.start();
    expect(h.runtime.containers({ namespace: 'default', pod: 'ghost' })).toHaveLength(0);
    expect(h.runtime.containers({ namespace: 'default', pod: 'keep' })).toHaveLength(1);
    expect((await h.runtime.listSandboxes()).map((s) => s.id)).toContain(other.id);
    await h.runtime.removeSandbox(other.id);
  });

  it('kill() stops heartbeats and touches nothing more', async () => {
    h = await startHarness();
    await h.run('p', { containers: [{ name: 'c', image: 'web:1' }] });
    h.agent.kill();
    const leases = h.cluster.client('coordination.k8s.io/v1', 'Lease', 'kube-node-lease');
    const before = await leases.get('node-a');
    h.runtime.crash({ namespace: 'default', pod: 'p' });
    await h.clock.advance(60_000);
    expect((await leases.get('node-a')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await h.pod('p')).status?.containerStatuses?.[0].restartCount).toBe(0);
    expect(stateOf((await h.pod('p')).status?.containerStatuses?.[0])).toBe('running');
    expect(h.runtime.calls.creates).toBe(1);
  });
});
