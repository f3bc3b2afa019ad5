/**
 * kubectl exec and attach on real Docker containers (exec-attach.cases.ts): exec -i/-t through
 * docker exec's hijacked connection, attach through docker attach (pods with `stdin: true` are
 * created with OpenStdin).
 */
import { describe } from 'vitest';
import { TEST_IMAGE, dockerForTests, testClusterName } from '../../support/docker.js';
import { removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';
import { kubectlAvailable } from '../../support/kubectl.js';
import { execAttachCases } from '../kubectl/exec-attach.cases.js';

const docker = await dockerForTests();
const name = testClusterName('docker-kubectl-exec');

describe.skipIf(!docker || !kubectlAvailable())('Docker', () => {
  execAttachCases('Docker', {
    image: TEST_IMAGE,
    cp: true,
    start: async () => {
      await removeLeftovers(name);
      return startDockerCluster(name, ['node-1']);
    },
    stop: async (cluster) => {
      await cluster?.stop();
      await removeLeftovers(name);
    },
  });
});
