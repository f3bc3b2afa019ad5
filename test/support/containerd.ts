/**
 * Helpers for tests that need a real containerd (started by .ci/containerd.sh): whether it
 * answers, has the test images in the test namespace, and the CNI network is there.
 *
 * In CI (`process.env.CI` set) a missing daemon, image or network makes the test file fail;
 * elsewhere the tests are skipped with the reason printed.
 */
import { access } from 'node:fs/promises';
import { ContainerdRuntime } from '../../src/runtime-adapters/containerd/index.js';
import { PAUSE_IMAGE, TEST_IMAGE } from './docker.js';

/** The containerd namespace the tests use (where .ci/containerd.sh imports the images). */
export const CONTAINERD_TEST_NAMESPACE = process.env.TUGBOAT_CONTAINERD_NAMESPACE ?? 'tugboat';
/** The CNI network list .ci/containerd.sh writes. */
export const CONTAINERD_TEST_CONFLIST = '/etc/tugboat/cni/tugboat.conflist';
/** The local registry .ci/containerd.sh starts, holding tugboat-test/busybox:1. */
export const TEST_REGISTRY = '127.0.0.1:5000';

async function check(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'containerd tests run as root (tasks, CNI)';
  if (!(await ContainerdRuntime.available({}, 5000)))
    return 'containerd does not answer on /run/containerd/containerd.sock; run .ci/containerd.sh';
  const runtime = new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE });
  try {
    for (const ref of [TEST_IMAGE, PAUSE_IMAGE]) {
      const ok = await runtime.ensureImage(ref, 'Never').then(
        () => true,
        () => false,
      );
      if (!ok) return `image ${ref} is missing in containerd namespace ${CONTAINERD_TEST_NAMESPACE}; run .ci/containerd.sh`;
    }
  } finally {
    await runtime.close();
  }
  if (
    !(await access(CONTAINERD_TEST_CONFLIST).then(
      () => true,
      () => false,
    ))
  )
    return `${CONTAINERD_TEST_CONFLIST} is missing; run .ci/containerd.sh`;
  return undefined;
}

/** Resolves true when containerd tests may run, false (reason printed) to skip; throws in CI. */
export async function containerdForTests(): Promise<boolean> {
  const why = await check();
  if (!why) return true;
  if (process.env.CI) throw new Error(`containerd is required in CI: ${why}`);
  console.warn(`[containerd tests skipped] ${why}`);
  return false;
}
