import { describe, it } from 'vitest';
import { ContainerdRuntime } from '../../src/runtime-adapters/containerd/index.js';
import { runContainerRuntimeConformance } from '../../src/testing.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../support/containerd.js';
import { MISSING_IMAGE, TEST_IMAGE } from '../support/docker.js';

// In CI this throws when the daemon, the images or the CNI network are missing: the file fails, never skips.
const containerd = await containerdForTests();

/** PID 1 of a container gets SIGTERM only through a handler: `trap` gives sh one. */
const untilTerm = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

if (containerd) {
  await runContainerRuntimeConformance({
    name: 'containerd',
    setup: async () => ({
      runtime: new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE }),
      reopen: async () => new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE }),
      fixtures: {
        image: TEST_IMAGE,
        missingImage: MISSING_IMAGE,
        server: (port) => ({ image: TEST_IMAGE, command: ['sh', '-c', `trap "exit 0" TERM; httpd -f -p ${port} -h /www & wait $!`] }),
        exits: (code) => ({ image: TEST_IMAGE, command: ['sh', '-c', `exit ${code}`] }),
        prints: (lines) => ({
          image: TEST_IMAGE,
          command: ['sh', '-c', `for l in "$@"; do echo "$l"; done; ${untilTerm}`, 'prints', ...lines],
        }),
        ignoresTerm: () => ({ image: TEST_IMAGE, command: ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'] }),
        execCommand: (text, code) => ['sh', '-c', 'echo "$1"; exit "$2"', 'exec', text, String(code)],
      },
      cleanup: async () => undefined,
    }),
  });
} else {
  // Only outside CI (in CI containerdForTests throws above).
  describe.skipIf(!containerd)('ContainerRuntime conformance: containerd (no containerd here)', () => {
    it('needs containerd', () => undefined);
  });
}
