/**
 * Pulling over the OCI distribution API into containerd, against the local registry
 * .ci/containerd.sh starts on 127.0.0.1:5000: Always pulls and unpacks, a missing repository or an unreachable registry is ErrImagePull
 * naming why, and a Cluster's pod on such an image goes ErrImagePull -> ImagePullBackOff.
 * Each run uses a namespace of its own, emptied afterwards.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { ContainerdRuntime } from '../../../../src/runtime-adapters/containerd/index.js';
import { ImagePullError, RUNTIME_LABELS } from '../../../../src/runtime-adapters/types.js';
import { RealClock } from '../../../../src/clock/real-clock.js';
import { containerdForTests, TEST_REGISTRY } from '../../../support/containerd.js';
import { testClusterName } from '../../../support/docker.js';

const containerd = await containerdForTests();
const ns = `tugboat-pull-${process.pid}`;
const name = testClusterName('containerd-pull');
const PULLABLE = `${TEST_REGISTRY}/tugboat-test/busybox:1`;
const ABSENT = `${TEST_REGISTRY}/tugboat-test/absent:1`;

const ctr = async (...args: string[]) => (await promisify(execFile)('ctr', ['-n', ns, ...args])).stdout;

/** A loopback port nothing listens on (free a moment ago). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe.skipIf(!containerd)('containerd: pulling images from a registry', { timeout: 120_000 }, () => {
  const runtime = new ContainerdRuntime({ namespace: ns });
  runtime.bind({ clock: new RealClock(), clusterName: name, nodeName: 'pull-node' });

  afterAll(async () => {
    for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: name }).catch(() => [])) await runtime.removeSandbox(s.id);
    await runtime.close();
    const images = (await ctr('images', 'ls', '-q').catch(() => '')).split('\n').filter(Boolean);
    if (images.length) await ctr('images', 'rm', '--sync', ...images).catch(() => undefined);
    await promisify(execFile)('ctr', ['namespaces', 'rm', ns]).catch(() => undefined);
  });

  it('Always pulls and unpacks (its layer is a committed overlayfs snapshot)', async () => {
    const info = await runtime.ensureImage(PULLABLE, 'Always');
    expect(info.ref).toBe(PULLABLE);
    expect(info.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await ctr('images', 'ls', '-q')).toContain(PULLABLE);
    expect(await ctr('snapshots', 'ls')).toMatch(/sha256:[0-9a-f]{64}\s+Committed/);
    expect(await ctr('images', 'check')).toMatch(/complete/);
    // Never now finds it; a second Always pull is a no-op that gives the same id.
    expect((await runtime.ensureImage(PULLABLE, 'Never')).id).toBe(info.id);
    expect((await runtime.ensureImage(PULLABLE, 'Always')).id).toBe(info.id);
  });

  it('a missing repository is ErrImagePull with the registry answer; an unreachable registry says so', async () => {
    const missing = await runtime.ensureImage(ABSENT, 'Always').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ImagePullError);
    expect((missing as ImagePullError).reason).toBe('ErrImagePull');
    expect((missing as ImagePullError).message).toMatch(/404.*manifest unknown/i);
    const port = await deadPort();
    const dead = await runtime.ensureImage(`127.0.0.1:${port}/x:1`, 'IfNotPresent').catch((e: unknown) => e);
    expect((dead as ImagePullError).reason).toBe('ErrImagePull');
    expect((dead as ImagePullError).message).toContain(`cannot reach the registry at http://127.0.0.1:${port}`);
  });

  it('a pod on an image no registry has waits in ErrImagePull, then ImagePullBackOff', async () => {
    const clusterRuntime = new ContainerdRuntime({ namespace: 'tugboat' });
    const cluster = await Cluster.start({ name: `${name}-c`, nodes: [{ name: 'node-1', runtime: clusterRuntime }] });
    try {
      await cluster.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'absent', namespace: 'default' },
        spec: { containers: [{ name: 'main', image: ABSENT, imagePullPolicy: 'Always' }] },
      });
      const seen = new Set<string>();
      await cluster.waitFor(
        cluster.pods('default'),
        'absent',
        (p) => {
          const reason = p?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
          if (reason) seen.add(reason);
          return seen.has('ImagePullBackOff');
        },
        { timeoutMs: 60_000 },
      );
      const pod = await cluster.pods('default').get('absent');
      expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '').toContain('tugboat-test/absent');
    } finally {
      await cluster.stop();
    }
  });
});
