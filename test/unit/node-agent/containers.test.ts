import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Secret } from '../../../src/model/types.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import type { ContainerConfig } from '../../../src/runtime-adapters/types.js';
import { cond, RecordingRuntime, startHarness, stateOf, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('NodeAgent: init containers and container config', () => {
  it('runs init containers in order, each to a successful exit, before the app containers', async () => {
    h = await startHarness();
    h.runtime.image('init:1', { exitAfterMs: 2000, exitCode: 0 });
    await h.run('p', {
      initContainers: [
        { name: 'one', image: 'init:1' },
        { name: 'two', image: 'init:1' },
      ],
      containers: [{ name: 'app', image: 'web:1' }],
    });
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Pending');
    expect(cond(pod, 'Initialized')).toBe('False');
    expect(pod.status?.initContainerStatuses?.map(stateOf)).toEqual(['running', 'waiting:PodInitializing']);
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('waiting:PodInitializing');
    await h.clock.advance(2000);
    pod = await h.pod('p');
    expect(pod.status?.initContainerStatuses?.map(stateOf)).toEqual(['terminated:Completed', 'running']);
    expect(h.runtime.containers({ namespace: 'default', pod: 'p' }).map((c) => c.name)).toEqual(['one', 'two']);
    await h.clock.advance(2000);
    pod = await h.pod('p');
    expect(cond(pod, 'Initialized')).toBe('True');
    expect(pod.status?.phase).toBe('Running');
    expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('running');
  });

  it('retries a failing init container with back-off, or fails the pod under Never', async () => {
    h = await startHarness();
    h.runtime.image('bad-init:1', { exitAfterMs: 100, exitCode: 1 });
    await h.run('a', { initContainers: [{ name: 'i', image: 'bad-init:1' }], containers: [{ name: 'app', image: 'web:1' }] });
    await h.run('b', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'i', image: 'bad-init:1' }],
      containers: [{ name: 'app', image: 'web:1' }],
    });
    await h.clock.advance(100);
    expect((await h.pod('a')).status?.initContainerStatuses?.[0].restartCount).toBe(1); // the first retry is at once
    await h.clock.advance(100);
    const a = await h.pod('a');
    expect(a.status?.phase).toBe('Pending');
    expect(stateOf(a.status?.initContainerStatuses?.[0])).toBe('waiting:CrashLoopBackOff');
    expect((await h.pod('b')).status?.phase).toBe('Failed');
    await h.clock.advance(10_000);
    expect((await h.pod('a')).status?.initContainerStatuses?.[0].restartCount).toBe(2);
    expect(h.runtime.containers({ namespace: 'default', pod: 'b' }).map((c) => c.name)).toEqual(['i']);
  });

  it('resolves env, envFrom, the downward API and $(VAR) references', async () => {
    h = await startHarness();
    await h.cluster
      .client<ConfigMap>('v1', 'ConfigMap', 'default')
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { MODE: 'fast', LEVEL: '3' } } as ConfigMap);
    await h.cluster.client<Secret>('v1', 'Secret', 'default').create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec' },
      data: { token: Buffer.from('s3cret').toString('base64') },
    } as Secret);
    await h.run(
      'env',
      {
        containers: [
          {
            name: 'c',
            image: 'web:1',
            command: ['/bin/app', '--name=$(POD_NAME)'],
            args: ['$(GREETING)', '$$(LITERAL)', '$(UNDEFINED)'],
            envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'missing', optional: true } }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
              { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope', optional: true } } },
              { name: 'GREETING', value: 'hello $(POD_NAME) in $(CFG_MODE)' },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '64Mi' } },
          },
        ],
      },
      { labels: { app: 'shop' } },
    );
    const pod = await h.pod('env');
    expect(pod.status?.phase).toBe('Running');
    const c = h.runtime.containers({ namespace: 'default', pod: 'env' })[0];
    expect(c.labels[RUNTIME_LABELS.podUid]).toBe(pod.metadata.uid);
    expect(c.labels[RUNTIME_LABELS.container]).toBe('c');
    expect(c.labels[RUNTIME_LABELS.attempt]).toBe('0');
    expect(pod.status?.qosClass).toBe('Guaranteed');
    const config = h.runtime.configs.find((x) => x.name === 'c')!;
    expect(config.env).toMatchObject({
      CFG_MODE: 'fast',
      CFG_LEVEL: '3',
      POD_NAME: 'env',
      POD_NS: 'default',
      POD_UID: pod.metadata.uid,
      NODE: 'node-a',
      POD_IP: pod.status?.podIP,
      APP: 'shop',
      MODE: 'fast',
      TOKEN: 's3cret',
      GREETING: 'hello env in fast',
      MEM: '64',
    });
    expect(config.env).not.toHaveProperty('OPT');
    expect(config.command).toEqual(['/bin/app', '--name=env']);
    expect(config.args).toEqual(['hello env in fast', '$(LITERAL)', '$(UNDEFINED)']);
    expect(config.resources).toEqual({ cpuMillis: 500, memoryBytes: 64 * 2 ** 20 });
  });

  it('reports CreateContainerConfigError for a missing ConfigMap key and starts once it exists', async () => {
    h = await startHarness();
    await h.run('p', {
      containers: [{ name: 'c', image: 'web:1', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'x' } } }] }],
    });
    const cs = (await h.pod('p')).status?.containerStatuses?.[0];
    expect(stateOf(cs)).toBe('waiting:CreateContainerConfigError');
    expect(cs?.state?.waiting?.message).toBe('configmap "later" not found');
    await h.cluster
      .client<ConfigMap>('v1', 'ConfigMap', 'default')
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { x: '1' } } as ConfigMap);
    await h.clock.advance(10_000);
    expect(stateOf((await h.pod('p')).status?.containerStatuses?.[0])).toBe('running');
  });
});

describe('NodeAgent: fields the runtime runs a container without', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A runtime that cannot give a terminal. */
  class NoTerminalRuntime extends RecordingRuntime {
    unsupported(config: ContainerConfig): string[] {
      return config.tty ? ['tty: no terminal here'] : [];
    }
  }

  it('records each as a Warning Event (Unsupported) naming the container, and still runs it', async () => {
    h = await startHarness({}, new NoTerminalRuntime());
    await h.run('p', {
      containers: [
        { name: 'shell', image: 'sh:1', tty: true, stdin: true },
        { name: 'plain', image: 'sh:1' },
      ],
    });
    await h.tick(2000);
    const events = (await h.cluster.events.list('default')).filter((e) => e.reason === 'Unsupported');
    expect(events.map((e) => [e.type, e.message, e.involvedObject?.name])).toEqual([
      ['Warning', 'container shell: tty: no terminal here', 'p'],
    ]);
    expect((await h.pod('p')).status?.containerStatuses?.map((s) => stateOf(s))).toEqual(['running', 'running']);
  });
});
