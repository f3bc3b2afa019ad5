import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../../src/runtime-adapters/docker/index.js';
import { ImagePullError, RUNTIME_LABELS, type RuntimeEvent } from '../../../../src/runtime-adapters/types.js';
import { dockerClient, dockerForTests, TEST_IMAGE } from '../../../support/docker.js';
import { clusterLeftovers } from '../../../support/docker-cluster.js';
import { boundRuntime, cleanUp, newPod, runIn, shell } from './harness.js';

const docker = await dockerForTests();
const sleepy = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

describe.skipIf(!docker)('DockerRuntime: images, events and cleanup', () => {
  let runtime: DockerRuntime;
  let clusterName: string;
  const pauseRef = `tugboat/pause:it-${process.pid}`;

  beforeAll(() => {
    ({ runtime, clusterName } = boundRuntime('lifecycle'));
  });
  afterAll(async () => {
    if (runtime) await cleanUp(runtime);
    await dockerClient()
      .getImage(pauseRef)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('available() tells whether a daemon answers', async () => {
    expect(await DockerRuntime.available()).toBe(true);
    expect(await DockerRuntime.available({ socketPath: '/nonexistent/docker.sock' })).toBe(false);
  });

  it('a pull that cannot succeed is ErrImagePull with the daemon message; Never on a missing image is ErrImageNeverPull', async () => {
    const err = await runtime.ensureImage('nonexistent.invalid/x:1', 'IfNotPresent').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect(err).toMatchObject({ reason: 'ErrImagePull', image: 'nonexistent.invalid/x:1' });
    expect((err as Error).message).toContain('nonexistent.invalid');
    const always = await runtime.ensureImage(TEST_IMAGE, 'Always').catch((e: unknown) => e);
    // A local-only image cannot be pulled: Always means a pull, as in Kubernetes.
    expect(always).toMatchObject({ reason: 'ErrImagePull' });
    const never = await runtime.ensureImage('nonexistent.invalid/x:1', 'Never').catch((e: unknown) => e);
    expect(never).toMatchObject({ reason: 'ErrImageNeverPull' });
  });

  it('builds a missing tugboat/pause image from the host busybox, and its sandboxes stop at once', async () => {
    await dockerClient()
      .getImage(pauseRef)
      .remove({ force: true })
      .catch(() => undefined);
    const own = new DockerRuntime({ sandboxImage: pauseRef });
    own.bind({ clock: { now: () => new Date() } as never, clusterName, nodeName: 'it-node' });
    const { sandbox } = await newPod(own);
    expect(sandbox.state).toBe('ready');
    const info = await dockerClient().getContainer(sandbox.id).inspect();
    expect(info.Config.Image).toBe(pauseRef);
    await own.stopSandbox(sandbox.id); // SIGTERM handled: no 2s kill timeout
    const stopped = await dockerClient().getContainer(sandbox.id).inspect();
    expect(stopped.State.ExitCode).toBe(0);
    await own.removeSandbox(sandbox.id);
    // Removed behind the runtime's back after it saw it: the next sandbox's create finds it gone and builds it again.
    await dockerClient().getImage(pauseRef).remove({ force: true });
    const again = await newPod(own);
    expect(again.sandbox.state).toBe('ready');
    expect((await dockerClient().getContainer(again.sandbox.id).inspect()).Config.Image).toBe(pauseRef);
    await own.removeSandbox(again.sandbox.id);
    await own.close(); // a runtime not bound to a cluster instance is an instance of its own, with its own network
  });

  it('docker kill of a container shows on the event stream, with its labels and exit code', async () => {
    const { sandbox, uid } = await newPod(runtime);
    const id = await runIn(runtime, sandbox, shell('victim', sleepy));
    const ac = new AbortController();
    const events = runtime.events(ac.signal);
    const seen: RuntimeEvent[] = [];
    const watching = (async () => {
      for await (const e of events) {
        if (e.containerId !== id) continue;
        seen.push(e);
        if (e.type === 'remove') break;
      }
    })();
    await dockerClient().getContainer(id).kill({ signal: 'SIGKILL' });
    await dockerClient().getContainer(id).remove({ force: true });
    await watching;
    ac.abort();
    const exit = seen.find((e) => e.type === 'exit');
    expect(exit).toMatchObject({ exitCode: 137, containerId: id });
    expect(exit?.labels[RUNTIME_LABELS.podUid]).toBe(uid);
    expect(exit?.labels[RUNTIME_LABELS.container]).toBe('victim');
    expect(seen.map((e) => e.type)).toEqual(['exit', 'remove']);
  });

  it('events of another cluster are not seen; the stream ends on abort and on close()', async () => {
    const other = boundRuntime('lifecycle-other').runtime;
    const ac = new AbortController();
    const mine: RuntimeEvent[] = [];
    const watching = (async () => {
      for await (const e of runtime.events(ac.signal)) mine.push(e);
    })();
    const { sandbox } = await newPod(other);
    await runIn(other, sandbox, shell('elsewhere', 'exit 0'));
    const { sandbox: ours } = await newPod(runtime);
    const id = await runIn(runtime, ours, shell('here', 'exit 0'));
    for (let i = 0; i < 100 && !mine.some((e) => e.containerId === id && e.type === 'exit'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    ac.abort();
    await watching;
    expect(mine.some((e) => e.containerId === id && e.type === 'exit')).toBe(true);
    expect(mine.every((e) => e.labels[RUNTIME_LABELS.cluster] === clusterName)).toBe(true);
    const closing = (async () => {
      for await (const _ of other.events()) void _;
    })();
    await cleanUp(other);
    await closing;
    expect(await clusterLeftovers(other.clusterName)).toEqual([]);
  });

  it('a network removed behind its back is made again by the next sandbox', async () => {
    await newPod(runtime);
    await cleanUp(runtime); // removes every sandbox of the cluster, then the network
    expect(await dockerClient().listNetworks({ filters: { name: [runtime.networkName] } })).toEqual([]);
    const again = await newPod(runtime);
    expect(again.sandbox.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await runtime.removeSandbox(again.sandbox.id);
  });

  it('a network removed with the Docker API (not by the runtime) after the runtime made it is made again by the next sandbox', async () => {
    const first = await newPod(runtime);
    const docker = dockerClient();
    await docker.getContainer(first.sandbox.id).remove({ force: true });
    await docker.getNetwork(runtime.networkName).remove();
    const again = await newPod(runtime);
    expect(again.sandbox.state).toBe('ready');
    expect(again.sandbox.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((await docker.listNetworks({ filters: { name: [runtime.networkName] } })).map((n) => n.Name)).toContain(runtime.networkName);
    await runtime.removeSandbox(first.sandbox.id);
    await runtime.removeSandbox(again.sandbox.id);
  });

  it('close() keeps the network while a sandbox is left, and removes it after; nothing labelled remains', async () => {
    const { sandbox } = await newPod(runtime);
    await runtime.close();
    const nets = await dockerClient().listNetworks({ filters: { name: [runtime.networkName] } });
    expect(nets.map((n) => n.Name)).toContain(runtime.networkName);
    for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: clusterName })) {
      await runtime.stopSandbox(s.id);
      await runtime.removeSandbox(s.id);
    }
    expect(sandbox.id).toBeTruthy();
    await runtime.close();
    expect(await clusterLeftovers(clusterName)).toEqual([]);
  });
});
