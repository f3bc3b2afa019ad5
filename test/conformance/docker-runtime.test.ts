import { describe, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime-adapters/docker/index.js';
import { dockerForTests, MISSING_IMAGE, TEST_IMAGE } from '../support/docker.js';
import { runContainerRuntimeConformance } from '../../src/testing.js';

// In CI this throws when the daemon or the images are missing: the file fails, never skips.
const docker = await dockerForTests();

/** PID 1 of a container gets SIGTERM only through a handler: `trap` gives sh one. */
const untilTerm = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

if (docker) {
  await runContainerRuntimeConformance({
    name: 'docker',
    setup: async () => {
      const runtime = new DockerRuntime();
      return {
        runtime,
        reopen: async () => new DockerRuntime(),
        fixtures: {
          image: TEST_IMAGE,
          missingImage: MISSING_IMAGE,
          server: (port) => ({
            image: TEST_IMAGE,
            command: ['sh', '-c', `trap "exit 0" TERM; httpd -f -p ${port} -h /www & wait $!`],
          }),
          exits: (code) => ({ image: TEST_IMAGE, command: ['sh', '-c', `exit ${code}`] }),
          prints: (lines) => ({
            image: TEST_IMAGE,
            command: ['sh', '-c', `for l in "$@"; do echo "$l"; done; ${untilTerm}`, 'prints', ...lines],
          }),
          ignoresTerm: () => ({ image: TEST_IMAGE, command: ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'] }),
          execCommand: (text, code) => ['sh', '-c', 'echo "$1"; exit "$2"', 'exec', text, String(code)],
        },
        cleanup: async () => undefined,
      };
    },
  });
} else {
  // Only outside CI (in CI dockerForTests throws above): reported as skipped, like every other Docker test file.
  describe.skipIf(!docker)('ContainerRuntime conformance: docker (no Docker daemon here)', () => {
    it('needs a Docker daemon', () => undefined);
  });
}
