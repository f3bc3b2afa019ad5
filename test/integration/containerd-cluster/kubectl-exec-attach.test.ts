/**
 * kubectl exec and attach on a cluster on real containerd (exec-attach.cases.ts): exec -i/-t as
 * task exec processes with stdin FIFOs and terminals, attach through the main task's stdin FIFO
 * (pods with `stdin: true`) and its log pump's output; `kubectl cp` is tar through exec -i.
 * What the cluster left in the namespace is checked after stop().
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { ContainerdRuntime } from '../../../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../support/containerd.js';
import { TEST_IMAGE, testClusterName } from '../../support/docker.js';
import { kubectlAvailable } from '../../support/kubectl.js';
import { execAttachCases } from '../kubectl/exec-attach.cases.js';

const containerd = await containerdForTests();
const name = testClusterName('containerd-kubectl-exec');
const ns = CONTAINERD_TEST_NAMESPACE;

describe.skipIf(!containerd || !kubectlAvailable())('containerd', () => {
  execAttachCases('containerd', {
    image: TEST_IMAGE,
    cp: true,
    start: () => Cluster.start({ name, nodes: [{ name: 'node-1', runtime: new ContainerdRuntime({ namespace: ns }) }] }),
    stop: async (cluster) => {
      await cluster?.stop();
      const left = await promisify(execFile)('ctr', ['-n', ns, 'containers', 'ls', '-q', `labels."${RUNTIME_LABELS.cluster}"==${name}`]);
      expect(left.stdout.split('\n').filter(Boolean)).toEqual([]);
    },
  });
});
